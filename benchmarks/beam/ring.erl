%% Twin of benchmarks/runtime/ring.bench.ts: M processes pass a token round a ring for
%% `hops` messages; setup (spawn and close the ring) is timed separately.
-module(ring).
-export([main/1, spawn_ring/3, node/2]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    M = bench:param(m, Params),
    Hops = bench:param(hops, Params),
    Self = self(),
    T0 = bench:now_ns(),
    Closing = spawn(fun() -> receive {next, Next} -> node(Next, Self) end end),
    First = spawn_ring(M - 1, Closing, Self),
    Closing ! {next, First},
    bench:wait_waiting(First),
    Setup = bench:since_ms(T0),
    T1 = bench:now_ns(),
    First ! Hops,
    receive done -> ok end,
    Seconds = bench:since_ns(T1) / 1.0e9,
    bench:emit(<<"ring.setup">>, Params, Setup, <<"ms">>, lower),
    bench:emit(<<"ring.throughput">>, Params, Hops / Seconds, <<"msg/s">>, higher).

%% Each process forwards to the one spawned before it; the first spawned closes the ring.
spawn_ring(0, Next, _Coordinator) -> Next;
spawn_ring(K, Next, Coordinator) ->
    spawn_ring(K - 1, spawn(fun() -> node(Next, Coordinator) end), Coordinator).

node(Next, Coordinator) ->
    receive
        0 -> Coordinator ! done;
        N -> Next ! N - 1
    end,
    node(Next, Coordinator).
