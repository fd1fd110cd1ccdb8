# Dispatch's hello world in Python: greets the name and the place of its input.


def handle(context, payload):
    name = (payload or {}).get("name", "Noone")
    place = (payload or {}).get("place", "Nowhere")
    print("greeting %s" % name)  # lands in the run's logs
    return {"myField": "Hello, %s from %s" % (name, place)}
