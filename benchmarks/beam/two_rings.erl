%% Twin of benchmarks/schedulers/two-rings.bench.ts: two independent rings of M processes,
%% one token of `hops` hops each; total messages/s with one scheduler online, then with all
%% of them, alternating for `rounds` rounds (default 5), each after an untimed lap of `warmup`
%% hops (default 300000); figures are medians over rounds, the speed-up the median of each
%% round's ratio (run without +S: `erl -noshell -pa EBIN -run two_rings main m=1000
%% hops=3000000`, with bench.erl and ring.erl compiled into EBIN too).
-module(two_rings).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    M = bench:param(m, Params),
    Hops = bench:param(hops, Params),
    Warmup = bench:param(warmup, Params, 300000),
    Rounds = max(1, bench:param(rounds, Params, 5)),
    All = erlang:system_info(schedulers),
    Laps = [round_of(M, Hops, Warmup, All) || _ <- lists:seq(1, Rounds)],
    erlang:system_flag(schedulers_online, All),
    {Ones, Twos} = lists:unzip(Laps),
    Ratios = [Two / One || {One, Two} <- Laps],
    bench:emit(<<"two_rings.one_scheduler">>, Params, median(Ones), <<"msg/s">>, higher),
    bench:emit(<<"two_rings.two_schedulers">>, Params, median(Twos), <<"msg/s">>, higher),
    bench:emit(<<"two_rings.speedup">>, Params, median(Ratios), <<"x">>, higher),
    bench:emit(<<"two_rings.speedup_min">>, Params, lists:min(Ratios), <<"x">>, higher),
    bench:emit(<<"two_rings.speedup_max">>, Params, lists:max(Ratios), <<"x">>, higher).

round_of(M, Hops, Warmup, All) ->
    erlang:system_flag(schedulers_online, 1),
    One = rate(M, Hops, Warmup),
    erlang:system_flag(schedulers_online, All),
    Many = rate(M, Hops, Warmup),
    {One, Many}.

rate(M, Hops, Warmup) ->
    Self = self(),
    A = ring(M, Self),
    B = ring(M, Self),
    timer:sleep(100),
    case Warmup > 0 of
        true -> lap(A, B, Warmup);
        false -> ok
    end,
    Rate = lap(A, B, Hops),
    [exit(P, kill) || P <- [A, B]],
    Rate.

%% One token round each ring; total messages/s.
lap(A, B, Hops) ->
    T0 = bench:now_ns(),
    A ! Hops,
    B ! Hops,
    receive done -> ok end,
    receive done -> ok end,
    2 * Hops / (bench:since_ns(T0) / 1.0e9).

%% Returns the first node; each ring is closed by its first-spawned node (ring.erl's nodes).
ring(M, Coordinator) ->
    Closing = spawn(fun() -> receive {next, Next} -> ring:node(Next, Coordinator) end end),
    First = ring:spawn_ring(M - 1, Closing, Coordinator),
    Closing ! {next, First},
    First.

median(Values) -> bench:percentile(lists:sort(Values), 50).
