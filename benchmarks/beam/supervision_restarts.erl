%% Twin of benchmarks/supervision/restarts.bench.ts: a one_for_one supervisor whose only
%% child, a gen_server, asks for a 0 ms timeout in init and stops with `crash` on it, so it is
%% restarted over and over; each start reports to the coordinator, which times n restarts.
%% Intensity n + 10 within 1 s keeps the supervisor alive. Logging is off (level none), as
%% Kairos has no crash listener in its run.
-module(supervision_restarts).
-behaviour(supervisor).
-export([main/1, init/1, start_child/1, handle_call/3, handle_cast/2, handle_info/2]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, {sup, self(), N}),
    receive started -> ok end,
    T0 = bench:now_ns(),
    collect(N),
    Ns = bench:since_ns(T0),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, _} -> ok end,
    bench:emit(<<"supervision_restarts.throughput">>, Params, N / (Ns / 1.0e9), <<"restart/s">>, higher),
    bench:emit(<<"supervision_restarts.per_restart">>, Params, Ns / N / 1000, <<"us/restart">>, lower).

collect(0) -> ok;
collect(K) -> receive started -> collect(K - 1) end.

%% supervisor callback (Args = {sup, ...}) and gen_server callback (Args = {child, ...}).
init({sup, Coordinator, N}) ->
    Child = #{id => crasher, start => {?MODULE, start_child, [Coordinator]}},
    {ok, {#{strategy => one_for_one, intensity => N + 10, period => 1}, [Child]}};
init({child, Coordinator}) ->
    Coordinator ! started,
    {ok, Coordinator, 0}.

start_child(Coordinator) -> gen_server:start_link(?MODULE, {child, Coordinator}, []).

handle_call(_Req, _From, S) -> {reply, ok, S}.
handle_cast(_Req, S) -> {noreply, S}.
handle_info(timeout, S) -> {stop, crash, S}.
