%% Twin of benchmarks/runtime/fan-in.bench.ts: `senders` processes each send `messages`
%% messages to one receiver; the clock stops when the receiver has them all.
-module(fan_in).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    Senders = bench:param(senders, Params),
    Messages = bench:param(messages, Params),
    Total = Senders * Messages,
    Self = self(),
    T0 = bench:now_ns(),
    Receiver = spawn(fun() -> count(Total, Self) end),
    [spawn(fun() -> send_n(Receiver, Messages) end) || _ <- lists:seq(1, Senders)],
    receive done -> ok end,
    Seconds = bench:since_ns(T0) / 1.0e9,
    bench:emit(<<"fan_in.throughput">>, Params, Total / Seconds, <<"msg/s">>, higher).

send_n(_Receiver, 0) -> ok;
send_n(Receiver, K) ->
    Receiver ! K,
    send_n(Receiver, K - 1).

count(0, Coordinator) -> Coordinator ! done;
count(K, Coordinator) ->
    receive _ -> count(K - 1, Coordinator) end.
