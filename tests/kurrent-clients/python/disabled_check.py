"""With `kurrent.enabled: false` (phase 3 of run.sh): the KurrentDB protocol answers UNIMPLEMENTED
to the official client, and eventstore.v1 on the same port still serves (the project's SDK, in a
child process: see v1_read.py). Exits 0 when both hold."""
import os
import pathlib
import subprocess
import sys
import uuid

from kurrentdbclient import KurrentDBClient, NewEvent, StreamState
from kurrentdbclient.exceptions import GrpcError

client = KurrentDBClient(os.environ["KURRENT_CONNECTION_STRING"])
stream = f"disabled-{uuid.uuid4()}"
try:
    client.append_to_stream(stream, events=NewEvent(type="T", data=b"{}"), current_version=StreamState.ANY)
except GrpcError as error:
    if "UNIMPLEMENTED" not in str(error):
        sys.exit(f"kurrent.enabled false: expected UNIMPLEMENTED, got {error}")
else:
    sys.exit("kurrent.enabled false: the append succeeded")
finally:
    client.close()
v1 = subprocess.run([sys.executable, str(pathlib.Path(__file__).with_name("v1_read.py")), stream],
                    capture_output=True, text=True, timeout=60)
if "NotFound" not in v1.stderr and "not found" not in v1.stderr.lower():
    sys.exit(f"eventstore.v1 should answer NOT_FOUND for {stream}: rc={v1.returncode} {v1.stdout} {v1.stderr}")
print("kurrent.enabled false: UNIMPLEMENTED for the KurrentDB client, eventstore.v1 still served: OK")
