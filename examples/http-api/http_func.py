# In the style of Dispatch's examples/python3/http_func.py: the function of an API reads the
# request from context["httpContext"] (method, uri, args and headers, as Dispatch's gateway gave
# them) and answers a JSON-serialisable value, which the gateway sends back as JSON.


def handle(ctx, payload):
    http = ctx["httpContext"]
    # A GET has no body: its query is the payload. A POST's JSON body is.
    name = payload.get("name", "world") if isinstance(payload, dict) else "world"
    return {
        "greeting": "Hello, %s" % name,
        "method": http["method"],
        "uri": http["uri"],
        "args": http["args"],
        "agent": http.get("user-agent"),
    }
