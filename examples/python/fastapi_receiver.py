"""A PrimeVOX webhook receiver in FastAPI: uvicorn fastapi_receiver:app --port 8000"""

from fastapi import FastAPI

from primevox_webhooks.fastapi import PrimevoxEvent, delivery_openapi

app = FastAPI()


# openapi_extra: /openapi.json shows the body of a delivery (every kind, JSON and form).
@app.post("/primevox", openapi_extra=delivery_openapi())
async def receive(event: PrimevoxEvent) -> dict[str, str]:
    # A bad payload never gets here: it was answered 400 {"error": {"code": ...}}.
    return {"kind": event.kind, "dedup_key": event.dedup_key()}
