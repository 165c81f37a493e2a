"""A PrimeVOX webhook receiver in FastAPI: uvicorn fastapi_receiver:app --port 8000"""

from fastapi import FastAPI

from primevox_webhooks.fastapi import PrimevoxEvent

app = FastAPI()


@app.post("/primevox")
async def receive(event: PrimevoxEvent) -> dict[str, str]:
    # A bad payload never gets here: it was answered 400 {"error": {"code": ...}}.
    return {"kind": event.kind, "dedup_key": event.dedup_key()}
