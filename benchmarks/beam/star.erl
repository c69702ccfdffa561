%% Twin of benchmarks/runtime/star.bench.ts: a root spawn-links n children; kill the root
%% and time until every child is dead.
-module(star).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Self = self(),
    Base = erlang:system_info(process_count),
    T0 = bench:now_ns(),
    Root = spawn(fun() -> root(N, Self) end),
    Last = receive {ready, Pid} -> Pid end,
    Setup = bench:since_ms(T0),
    Ref = monitor(process, Last),
    T1 = bench:now_ns(),
    exit(Root, kill),
    receive {'DOWN', Ref, process, Last, killed} -> ok end,
    bench:wait_process_count(Base),
    Kill = bench:since_ms(T1),
    bench:emit(<<"star.setup">>, Params, Setup, <<"ms">>, lower),
    bench:emit(<<"star.kill">>, Params, Kill, <<"ms">>, lower).

root(N, Coordinator) ->
    Last = link_children(N, undefined),
    bench:wait_waiting(Last),
    Coordinator ! {ready, Last},
    bench:idle().

link_children(0, Last) -> Last;
link_children(K, _Last) -> link_children(K - 1, spawn_link(fun bench:idle/0)).
