#!/usr/bin/env python3
"""Writes the hand-made inputs of tests/fuzz/regressions (run from the repo root):

    python3 tests/fuzz/make_regressions.py tests/fuzz/regressions

Each file is one fuzzer input: ev_parse_any sees all of it, ev_parse_bare
sees it from the second byte, for ev_events[first byte % 59]. Files named
bare-* start with the byte that picks the event their payload belongs to.
Minimized fuzzer finds are added to the same directory by hand, not here.
The known-bug-* files reproduce defects of the generated code that are not
fixed yet; test_rt_regressions skips them unless EVG_KNOWN_BUGS is set.
"""
import os
import sys

# Indexes into ev_events[] (catalog order, see `evgen --dump`).
GLOBAL_USER_DETAILS = 0
AW_CHAT_INIT = 1
AW_INTERACTION_STARTED = 11

USER = ('"firstName":"f","lastName":"l","name":"n","userId":"u","customerId":"c",'
        '"loginId":"i","jobTitle":"j","schemaVersion":"1.0.0"')
MAESTRO_DATA = ('"eventName":"accepted","eventId":"e","method":"mapEvent","direction":"inbound",'
                '"media":"chat","mediaType":"web_chat","searchContext":"s","additionalData":{"name":"n"}')
CHAT_MESSAGE = ('{"id":"m","timestamp":%s,"type":"text","rawMessage":"r","displayName":"d",'
                '"author":{"id":"a","email":"e","name":"n"},"isBot":false}')


def sdk_event(name, payload, version="1.0.0"):
    return ('{"type":"event","schemaVersion":"%s","message":{"eventName":"%s","value":%s}}'
            % (version, name, payload))


def user(extra=""):
    return sdk_event("global-user-details-v1", "{" + USER + extra + "}")


def maestro(data_extra="", data=MAESTRO_DATA, event="mashell-chat-accepted-cc-event-v1"):
    return '{"eventType":"%s","status":"success","data":{%s%s}}' % (event, data, data_extra)


def chat_init(timestamp):
    return sdk_event("aw-chat-init-v1",
                     '{"interactionId":"i","messages":[%s],"schemaVersion":"1.0.0"}' % (CHAT_MESSAGE % timestamp))


def nested(depth, inner="0"):
    return "[" * depth + inner + "]" * depth


EVERY_ESCAPE = ('\\"\\\\\\/\\b\\f\\n\\r\\t' + "".join("\\u%04x" % i for i in range(0x20))
                + '\\u007f\\u0080\\u00e9\\u07ff\\u0800\\u20AC\\uffff\\ud800\\udc00\\ud83d\\ude00\\udbff\\udfff')

INPUTS = {
    "empty": "",
    "ws-only": " \t\r\n",
    # Depth: the envelope's own levels count against EVG_MAX_DEPTH (64).
    "deep-nesting-64": user(',"x":' + nested(61)),
    "deep-nesting-65": user(',"x":' + nested(62)),
    "deep-nesting-10000": nested(10000),
    "deep-objects-10000": '{"a":' * 10000 + "0" + "}" * 10000,
    "huge-plain-string": user(',"email":"' + "x" * 30000 + '"'),
    "huge-escaped-string": user(',"email":"' + "\\n" * 3000 + '"'),
    "huge-escaped-string-arena-full": user(',"email":"' + "\\t" * 70000 + '"'),
    "every-escape": user(',"email":"' + EVERY_ESCAPE + '","language":"\\u0000"'),
    "every-escape-in-key": user(',"' + EVERY_ESCAPE + '":"' + EVERY_ESCAPE + '"'),
    "long-key-escapes-fits": user(',"' + "\\u0041" * 100 + '":1'),
    "long-key-escapes-too-long": user(',"' + "\\u0041" * 200 + '":1'),
    "long-key-escapes-known-name": user(',"\\u0065\\u006d\\u0061\\u0069\\u006c":"e"'),
    "long-key-plain-300": maestro(',"' + "k" * 300 + '":{"a":[1,{"b":"' + "\\n" * 10 + '"}]}'),
    "lone-high-surrogate": user(',"email":"\\ud800"'),
    "lone-low-surrogate": user(',"email":"\\udc00"'),
    "high-surrogate-then-ascii": user(',"email":"\\ud800\\u0041"'),
    "high-surrogate-then-high": user(',"email":"\\ud800\\ud800"'),
    "high-surrogate-then-newline": user(',"email":"\\ud800\\n"'),
    "high-surrogate-at-end": '{"type":"event","message":{"eventName":"x","value":"\\ud83d',
    "truncated-escape-at-end": '"\\u00',
    "bad-utf8-overlong": user(',"email":"\xc0\x80"'),
    "bad-utf8-surrogate": user(',"email":"\xed\xa0\x80"'),
    "bad-utf8-above-max": user(',"email":"\xf4\x90\x80\x80"'),
    "bad-utf8-truncated-at-end": '"\xf0\x9f\x98',
    "utf8-max": user(',"email":"\xf4\x8f\xbf\xbf\xef\xbf\xbf\xdf\xbf"'),
    "numbers-edge": chat_init("-0"),
    "number-tiny": chat_init("1e-400"),
    "number-subnormal": chat_init("4.9406564584124654e-324"),
    # Once UB in evg_put_number ((int64_t) of a double out of range), fixed in c202395;
    # only clang's -fsanitize=undefined checks float-cast-overflow, gcc's does not.
    "number-max-double": chat_init("1.7976931348623157e308"),
    "number-1e300": chat_init("1e300"),
    "number-2pow53-plus-1": chat_init("9007199254740993"),
    "number-huge-exponent": chat_init("1e99999999999"),
    "number-600-digits": chat_init("1" * 600),
    "number-long-fraction": chat_init("0." + "0" * 300 + "1"),
    # Error pointers longer than EVG_POINTER_MAX: before 40769bf they began with
    # stale stack bytes (path_prepend); now they keep their innermost steps.
    "pointer-cut-500-byte-key": user(',"' + "u" * 500 + '":1'),
    # Optional members the samples lack (the fuzzer did not reach them from the samples alone).
    "chat-attachments-any": sdk_event("aw-chat-init-v1", (
        '{"interactionId":"i","messages":[{"id":"m","timestamp":1.5,"type":"text","rawMessage":{"r":[1]},'
        '"attachments":[1,"x",{"a":[null,true]},[],"\\u00e9"],"translatedMessage":null,'
        '"originalMessage":"o","variables":{"k":"v"},"resent":true,"isDeleted":false}],"schemaVersion":"1.0.0"}')),
    "chat-attachments-empty-and-nested": sdk_event("aw-chat-init-v1", (
        '{"interactionId":"i","messages":[{"id":"m","timestamp":0,"type":"t","rawMessage":null,'
        '"attachments":[]},{"id":"n","timestamp":-1e-5,"type":"t","rawMessage":"",'
        '"attachments":[[[[{}]]]]}]}')),
    "nullable-truncated-null": sdk_event("aw-chat-init-v1", (
        '{"interactionId":"i","messages":[{"id":"m","timestamp":1,"type":"t","rawMessage":1,'
        '"translatedMessage":nul}]}')),
    "maestro-failure-any-values": (
        '{"eventType":"mashell-chat-offered-cc-event-v1","status":"failed","data":{"eventName":"x",'
        '"schemaVersion":"9.9.9","allowedSchemaVersions":["1.0.0"],"error":"INVALID_SCHEMA",'
        '"errorDescription":[{"received":{ "a" : "x\\"y \\\\" , "b" : [ 1 , -2.5e3 , null ] },'
        '"expected":"\\u0000","path":[ "data" , 0 , {"k":"\\ud83d\\ude00"} ],"message":"m"}]}}'),
    "duplicate-envelope-keys": ('{"type":"event","type":"event","schemaVersion":"1.0.0","message":'
                                '{"eventName":"x","eventName":"global-user-details-v1","value":{'
                                + USER + '},"value":{' + USER + '}}}'),
    "bare-every-escape": chr(GLOBAL_USER_DETAILS) + '{' + USER + ',"email":"' + EVERY_ESCAPE + '"}',
    "bare-no-version": chr(AW_INTERACTION_STARTED) + (
        '{"interactionId":"i","callId":"c","interactionType":"phone","direction":"inbound",'
        '"queueId":"q","queueName":"n","customerName":"c","customerPhone":"p","agentName":"a",'
        '"agentPhone":"p"}'),
    "bare-array-in-tiny-arena": chr(AW_CHAT_INIT) + (
        '{"interactionId":"i","messages":[%s],"schemaVersion":"1.0.0"}'
        % ",".join([CHAT_MESSAGE % "1"] * 40)),
    "pointer-cut-strict-long-key": maestro(',"schemaVersion":"1.0.0","' + "k" * 250 + '":1'),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in sorted(INPUTS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(text.encode("latin-1"))
    print("%s: %d inputs" % (out, len(INPUTS)))


if __name__ == "__main__":
    main()
