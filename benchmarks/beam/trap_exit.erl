%% Twin of benchmarks/runtime/trap-exit.bench.ts: a process trapping exits, linked to n
%% children, exits each with `shutdown` and receives the n EXIT messages (what a
%% supervisor does at shutdown).
-module(trap_exit).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    process_flag(trap_exit, true),
    T0 = bench:now_ns(),
    Children = [spawn_link(fun bench:idle/0) || _ <- lists:seq(1, N)],
    bench:wait_waiting(lists:last(Children)),
    Setup = bench:since_ms(T0),
    T1 = bench:now_ns(),
    lists:foreach(fun(Child) -> exit(Child, shutdown) end, Children),
    collect(N),
    Seconds = bench:since_ns(T1) / 1.0e9,
    bench:emit(<<"trap_exit.setup">>, Params, Setup, <<"ms">>, lower),
    bench:emit(<<"trap_exit.throughput">>, Params, N / Seconds, <<"exit/s">>, higher).

collect(0) -> ok;
collect(K) ->
    receive {'EXIT', _, shutdown} -> collect(K - 1) end.
