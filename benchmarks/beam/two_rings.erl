%% Twin of benchmarks/schedulers/two-rings.bench.ts: two independent rings of M processes,
%% one token of `hops` hops each; total messages/s with one scheduler online, then with all
%% of them (run without +S: `erl -noshell -pa EBIN -run two_rings main m=1000 hops=1000000`,
%% with bench.erl and ring.erl compiled into EBIN too).
-module(two_rings).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    M = bench:param(m, Params),
    Hops = bench:param(hops, Params),
    All = erlang:system_info(schedulers),
    erlang:system_flag(schedulers_online, 1),
    One = rate(M, Hops),
    erlang:system_flag(schedulers_online, All),
    Many = rate(M, Hops),
    bench:emit(<<"two_rings.one_scheduler">>, Params, One, <<"msg/s">>, higher),
    bench:emit(<<"two_rings.two_schedulers">>, Params, Many, <<"msg/s">>, higher),
    bench:emit(<<"two_rings.speedup">>, Params, Many / One, <<"x">>, higher).

rate(M, Hops) ->
    Self = self(),
    A = ring(M, Self),
    B = ring(M, Self),
    timer:sleep(100),
    T0 = bench:now_ns(),
    A ! Hops,
    B ! Hops,
    receive done -> ok end,
    receive done -> ok end,
    Rate = 2 * Hops / (bench:since_ns(T0) / 1.0e9),
    [exit(P, kill) || P <- [A, B]],
    Rate.

%% Returns the first node; each ring is closed by its first-spawned node (ring.erl's nodes).
ring(M, Coordinator) ->
    Closing = spawn(fun() -> receive {next, Next} -> ring:node(Next, Coordinator) end end),
    First = ring:spawn_ring(M - 1, Closing, Coordinator),
    Closing ! {next, First},
    First.
