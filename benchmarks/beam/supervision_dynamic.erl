%% Twin of benchmarks/supervision/dynamic-children.bench.ts: a simple_one_for_one supervisor
%% with n dynamic children (minimal gen_servers): the time to start them all with
%% supervisor:start_child/2, one call after another, and the time for the supervisor to shut
%% them all down (`shutdown` from its parent until its EXIT arrives).
-module(supervision_dynamic).
-behaviour(supervisor).
-export([main/1, init/1, start_child/1, handle_call/3, handle_cast/2]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    process_flag(trap_exit, true),
    T0 = bench:now_ns(),
    {ok, Sup} = supervisor:start_link(?MODULE, sup),
    start_children(Sup, 0, N),
    StartMs = bench:since_ms(T0),
    Active = proplists:get_value(active, supervisor:count_children(Sup)),
    Active = N,
    T1 = bench:now_ns(),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, _} -> ok end,
    ShutdownMs = bench:since_ms(T1),
    bench:emit(<<"supervision_dynamic.start">>, Params, StartMs, <<"ms">>, lower),
    bench:emit(<<"supervision_dynamic.start_per_child">>, Params, StartMs * 1000 / N, <<"us/child">>, lower),
    bench:emit(<<"supervision_dynamic.shutdown">>, Params, ShutdownMs, <<"ms">>, lower).

start_children(_Sup, N, N) -> ok;
start_children(Sup, I, N) ->
    {ok, _} = supervisor:start_child(Sup, [I]),
    start_children(Sup, I + 1, N).

%% supervisor callback (sup) and gen_server callback (integer state).
init(sup) ->
    Child = #{id => child, start => {?MODULE, start_child, []}},
    {ok, {#{strategy => simple_one_for_one, intensity => 1, period => 5}, [Child]}};
init({child, I}) ->
    {ok, I}.

start_child(I) -> gen_server:start_link(?MODULE, {child, I}, []).

handle_call(_Req, _From, I) -> {reply, I, I}.
handle_cast(_Req, I) -> {noreply, I}.
