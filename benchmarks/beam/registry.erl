%% Twin of benchmarks/runtime/registry.bench.ts: register, whereis and unregister n names
%% (one idle process per name), `rounds` times over; ns per operation in the last round.
-module(registry).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    N = bench:param(n, Params),
    Rounds = bench:param(rounds, Params),
    Names = [list_to_atom("bench_name_" ++ integer_to_list(I)) || I <- lists:seq(1, N)],
    Pids = bench:spawn_idle(N),
    bench:wait_waiting(hd(Pids)),
    Pairs = lists:zip(Names, Pids),
    [round(Pairs, Names) || _ <- lists:seq(1, Rounds - 1)],
    {T0, T1, T2, T3} = round(Pairs, Names),
    bench:emit(<<"registry.register">>, Params, (T1 - T0) / N, <<"ns/op">>, lower),
    bench:emit(<<"registry.whereis">>, Params, (T2 - T1) / N, <<"ns/op">>, lower),
    bench:emit(<<"registry.unregister">>, Params, (T3 - T2) / N, <<"ns/op">>, lower).

round(Pairs, Names) ->
    N = length(Names),
    T0 = bench:now_ns(),
    lists:foreach(fun({Name, Pid}) -> register(Name, Pid) end, Pairs),
    T1 = bench:now_ns(),
    N = found(Names, 0),
    T2 = bench:now_ns(),
    lists:foreach(fun unregister/1, Names),
    T3 = bench:now_ns(),
    {T0, T1, T2, T3}.

found([], Count) -> Count;
found([Name | Rest], Count) ->
    case whereis(Name) of
        undefined -> found(Rest, Count);
        _ -> found(Rest, Count + 1)
    end.
