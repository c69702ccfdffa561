%% Twin of benchmarks/runtime/ping-pong.bench.ts: n request/reply round trips between two
%% processes.
-module(ping_pong).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Ponger = spawn(fun pong/0),
    T0 = bench:now_ns(),
    ping(Ponger, N),
    Seconds = bench:since_ns(T0) / 1.0e9,
    bench:emit(<<"ping_pong.throughput">>, Params, N / Seconds, <<"round_trips/s">>, higher).

ping(_Ponger, 0) -> ok;
ping(Ponger, K) ->
    Ponger ! {ping, self()},
    receive pong -> ping(Ponger, K - 1) end.

pong() ->
    receive {ping, From} -> From ! pong end,
    pong().
