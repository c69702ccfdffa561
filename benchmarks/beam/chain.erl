%% Twin of benchmarks/runtime/chain.bench.ts: n processes, each spawn-linked by the
%% previous one; kill the root and time until the whole chain is dead.
-module(chain).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Self = self(),
    Base = erlang:system_info(process_count),
    T0 = bench:now_ns(),
    Root = spawn(fun() -> chain_node(N - 1, Self) end),
    Leaf = receive {ready, Pid} -> Pid end,
    Setup = bench:since_ms(T0),
    Ref = monitor(process, Leaf),
    T1 = bench:now_ns(),
    exit(Root, kill),
    receive {'DOWN', Ref, process, Leaf, killed} -> ok end,
    bench:wait_process_count(Base),
    Kill = bench:since_ms(T1),
    bench:emit(<<"chain.setup">>, Params, Setup, <<"ms">>, lower),
    bench:emit(<<"chain.kill">>, Params, Kill, <<"ms">>, lower).

chain_node(0, Coordinator) ->
    Coordinator ! {ready, self()},
    bench:idle();
chain_node(K, Coordinator) ->
    spawn_link(fun() -> chain_node(K - 1, Coordinator) end),
    bench:idle().
