%% Twin of benchmarks/runtime/monitor.bench.ts: n monitors on live processes that then
%% exit (DOWN/s), and n monitors on dead pids (noproc DOWN/s).
-module(monitor).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Base = erlang:system_info(process_count),
    Live = bench:spawn_idle(N),
    bench:wait_waiting(hd(Live)),
    T0 = bench:now_ns(),
    lists:foreach(fun(Pid) -> monitor(process, Pid) end, Live),
    MonitorNs = bench:since_ns(T0) / N,
    T1 = bench:now_ns(),
    lists:foreach(fun(Pid) -> Pid ! stop end, Live),
    collect(N, normal),
    LiveSeconds = bench:since_ns(T1) / 1.0e9,
    bench:wait_process_count(Base),
    T2 = bench:now_ns(),
    lists:foreach(fun(Pid) -> monitor(process, Pid) end, Live),
    collect(N, noproc),
    DeadSeconds = bench:since_ns(T2) / 1.0e9,
    bench:emit(<<"monitor.monitor_call">>, Params, MonitorNs, <<"ns/monitor">>, lower),
    bench:emit(<<"monitor.down_live">>, Params, N / LiveSeconds, <<"down/s">>, higher),
    bench:emit(<<"monitor.down_noproc">>, Params, N / DeadSeconds, <<"down/s">>, higher).

collect(0, _Reason) -> ok;
collect(K, Reason) ->
    receive {'DOWN', _, process, _, Reason} -> collect(K - 1, Reason) end.
