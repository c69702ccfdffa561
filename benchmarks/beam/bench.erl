%% Shared helpers for the Erlang twins of benchmarks/runtime/*.bench.ts: argument parsing,
%% the JSON result line, clocks, percentiles and memory readings.
-module(bench).
-export([main/2, param/2, param/3, emit/5, emit/6, now_ns/0, since_ms/1, since_ns/1,
         spawn_idle/1, idle/0, wait_waiting/1, wait_process_count/1,
         percentile/2, rss_bytes/0]).

%% Runs Fun(Params) in a fresh process and halts the VM: 0 when it returned, 1 when it
%% crashed. `erl -noshell -run Mod main k=v ...` would otherwise stay up after a crash.
main(Fun, Args) ->
    Params = [parse_arg(A) || A <- Args],
    {Pid, Ref} = spawn_monitor(fun() -> Fun(Params) end),
    receive
        {'DOWN', Ref, process, Pid, normal} ->
            halt(0);
        {'DOWN', Ref, process, Pid, Reason} ->
            io:format(standard_error, "benchmark crashed: ~p~n", [Reason]),
            halt(1)
    end.

parse_arg(Arg) ->
    [Key, Value] = string:split(Arg, "="),
    {list_to_atom(Key), parse_value(Value)}.

parse_value(Value) ->
    try list_to_integer(Value)
    catch error:badarg -> list_to_binary(Value)
    end.

param(Key, Params) ->
    case lists:keyfind(Key, 1, Params) of
        {Key, Value} -> Value;
        false -> error({missing_param, Key})
    end.

%% An optional parameter: Default when it is not given.
param(Key, Params, Default) ->
    case lists:keyfind(Key, 1, Params) of
        {Key, Value} -> Value;
        false -> Default
    end.

emit(Name, Params, Value, Unit, Better) ->
    emit(Name, Params, Value, Unit, Better, []).

%% One result line, the same shape as benchmarks/lib/emit.ts writes for Kairos.
emit(Name, Params, Value, Unit, Better, Extra) ->
    Fields = [{name, Name}, {params, {object, Params}}, {value, Value}, {unit, Unit},
              {better, Better}, {runtime, <<"beam">>},
              {schedulers, erlang:system_info(schedulers_online)},
              {otp, list_to_binary(erlang:system_info(otp_release))} | Extra],
    io:format("~s~n", [json({object, Fields})]).

json({object, Fields}) ->
    Members = [[json_string(atom_to_binary(K)), $:, json(V)] || {K, V} <- Fields],
    [${, lists:join($,, Members), $}];
json(V) when is_integer(V) -> integer_to_list(V);
json(V) when is_float(V) -> float_to_list(V, [{decimals, 3}, compact]);
json(true) -> "true";
json(false) -> "false";
json(V) when is_atom(V) -> json_string(atom_to_binary(V));
json(V) when is_binary(V) -> json_string(V).

%% Names, units and parameters are plain ASCII identifiers: no escaping needed.
json_string(Bin) -> [$", Bin, $"].

now_ns() -> erlang:monotonic_time(nanosecond).

since_ns(T0) -> now_ns() - T0.

since_ms(T0) -> since_ns(T0) / 1.0e6.

%% Spawns N processes blocked in receive; returns them last-spawned first.
spawn_idle(N) -> spawn_idle(N, []).

spawn_idle(0, Acc) -> Acc;
spawn_idle(N, Acc) -> spawn_idle(N - 1, [spawn(fun idle/0) | Acc]).

idle() ->
    receive _ -> ok end.

%% With one scheduler the run queue is FIFO: once the last process spawned is waiting,
%% every process spawned before it has run up to its receive as well.
wait_waiting(Pid) ->
    case process_info(Pid, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_waiting(Pid)
    end.

wait_process_count(Count) ->
    case erlang:system_info(process_count) of
        Count -> ok;
        _ -> erlang:yield(), wait_process_count(Count)
    end.

%% Nearest-rank percentile of a sorted list, P in 0..100.
percentile(Sorted, P) ->
    Rank = max(1, ceil(P / 100 * length(Sorted))),
    lists:nth(Rank, Sorted).

rss_bytes() ->
    {ok, Status} = file:read_file("/proc/self/status"),
    {match, [Kb]} = re:run(Status, "VmRSS:\\s+(\\d+) kB", [{capture, all_but_first, list}]),
    list_to_integer(Kb) * 1024.
