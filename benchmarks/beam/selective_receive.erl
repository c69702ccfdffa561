%% Twin of benchmarks/runtime/selective-receive.bench.ts: with `queue` unmatched messages
%% in the mailbox, time per receive of a newly sent matching message, and per skipped
%% message (the same loop with an empty mailbox is subtracted).
-module(selective_receive).
-export([main/1]).

main(Args) -> bench:main(fun run/1, Args).

run(Params) ->
    Queue = bench:param(queue, Params),
    Rounds = bench:param(rounds, Params),
    Empty = rounds_ns(Rounds),
    [self() ! {junk, I} || I <- lists:seq(1, Queue)],
    Full = rounds_ns(Rounds),
    {message_queue_len, Queue} = process_info(self(), message_queue_len),
    bench:emit(<<"selective_receive.per_receive">>, Params, Full / Rounds, <<"ns">>, lower),
    bench:emit(<<"selective_receive.per_skipped">>, Params, (Full - Empty) / Rounds / Queue,
               <<"ns">>, lower).

rounds_ns(Rounds) ->
    T0 = bench:now_ns(),
    rounds(Rounds),
    bench:since_ns(T0).

rounds(0) -> ok;
rounds(K) ->
    self() ! {match, K},
    receive {match, _} -> rounds(K - 1) end.
