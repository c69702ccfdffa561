%% Twin of benchmarks/runtime/spawn.bench.ts: spawn N processes that block in receive, in
%% batches; ns per spawn (first batch, warm batches), bytes per idle process, ns per kill.
-module(spawn).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Batch = bench:param(batch, Params),
    Base = erlang:system_info(process_count),
    garbage_collect(),
    Total0 = erlang:memory(total),
    Rss0 = bench:rss_bytes(),
    {Pids, [First | Warm]} = spawn_batches(N, Batch, [], []),
    garbage_collect(),
    Total1 = erlang:memory(total),
    Rss1 = bench:rss_bytes(),
    {memory, ProcessMemory} = process_info(hd(Pids), memory),
    Kill = kill_all(Pids, Base),
    WarmCount = N - Batch,
    Emit = fun(Name, Value, Unit) -> bench:emit(Name, Params, Value, Unit, lower) end,
    Emit(<<"spawn.first_batch">>, First / Batch, <<"ns/process">>),
    WarmCount > 0 andalso Emit(<<"spawn.warm">>, lists:sum(Warm) / WarmCount, <<"ns/process">>),
    Emit(<<"spawn.all">>, (First + lists:sum(Warm)) / N, <<"ns/process">>),
    bench:emit(<<"spawn.memory">>, Params, (Total1 - Total0) / N, <<"bytes/process">>, lower,
               [{process_info_memory, ProcessMemory}]),
    Emit(<<"spawn.rss">>, (Rss1 - Rss0) / N, <<"bytes/process">>),
    Emit(<<"spawn.kill">>, Kill / N, <<"ns/process">>).

%% Returns all pids (newest first) and the time of each batch in ns, first batch first.
spawn_batches(0, _Batch, Pids, Times) ->
    {Pids, lists:reverse(Times)};
spawn_batches(Left, Batch, Pids, Times) ->
    Size = min(Batch, Left),
    T0 = bench:now_ns(),
    More = spawn_n(Size, Pids),
    bench:wait_waiting(hd(More)),
    spawn_batches(Left - Size, Batch, More, [bench:since_ns(T0) | Times]).

spawn_n(0, Acc) -> Acc;
spawn_n(N, Acc) -> spawn_n(N - 1, [spawn(fun bench:idle/0) | Acc]).

%% Killed in spawn order, so the newest process is the last to die; the process count
%% confirms the whole batch is gone.
kill_all(Pids, Base) ->
    Oldest = lists:reverse(Pids),
    Ref = monitor(process, hd(Pids)),
    T0 = bench:now_ns(),
    lists:foreach(fun(P) -> exit(P, kill) end, Oldest),
    receive {'DOWN', Ref, process, _, killed} -> ok end,
    bench:wait_process_count(Base),
    bench:since_ns(T0).
