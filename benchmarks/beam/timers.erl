%% Twin of benchmarks/runtime/timers.bench.ts: n processes each wait in receive with a
%% `timeout` ms timeout; how late each timeout fires (p50, p99, max). Each process writes its
%% lateness into a shared atomics array (a message per timeout would load the scheduler with
%% work that is not the timer's); the one that completes the count tells the coordinator.
-module(timers).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Timeout = bench:param(timeout, Params),
    Shared = {self(), atomics:new(N, [{signed, true}]), atomics:new(1, [])},
    T0 = bench:now_ns(),
    [spawn(fun() -> wait(Shared, I, N, Timeout) end) || I <- lists:seq(1, N)],
    Spawned = bench:since_ms(T0),
    receive done -> ok end,
    {_, Lateness, _} = Shared,
    Late = lists:sort([atomics:get(Lateness, I) || I <- lists:seq(1, N)]),
    Emit = fun(Name, Value) -> bench:emit(Name, Params, Value / 1000, <<"ms">>, lower) end,
    bench:emit(<<"timers.spawn">>, Params, Spawned, <<"ms">>, lower),
    Emit(<<"timers.late_p50">>, bench:percentile(Late, 50)),
    Emit(<<"timers.late_p99">>, bench:percentile(Late, 99)),
    Emit(<<"timers.late_max">>, lists:last(Late)),
    Emit(<<"timers.late_min">>, hd(Late)).

%% Lateness in µs, measured from just before the receive.
wait({Coordinator, Lateness, Count}, I, N, Timeout) ->
    T0 = erlang:monotonic_time(microsecond),
    receive _ -> error(unexpected_message)
    after Timeout ->
        atomics:put(Lateness, I, erlang:monotonic_time(microsecond) - T0 - Timeout * 1000),
        case atomics:add_get(Count, 1, 1) of
            N -> Coordinator ! done;
            _ -> ok
        end
    end.
