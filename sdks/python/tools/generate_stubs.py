"""Generates the gRPC/protobuf stubs of eventstore_client from the repository's proto/ folder.

    python tools/generate_stubs.py --proto-dir ../../proto --out src/eventstore_client/_proto

Runs grpc_tools.protoc (from the pinned grpcio-tools) on eventstore/v1/eventstore.proto and
google/rpc/status.proto, then rewrites the generated absolute import `from eventstore.v1 import`
into `from eventstore_client._proto.eventstore.v1 import`, so the stubs live inside the package and
never clash with another copy of eventstore.v1 on sys.path. The output folder is generated, never
committed (it is in .gitignore).
"""
import argparse
import pathlib
import shutil
import sys

from grpc_tools import protoc

PROTOS = ["eventstore/v1/eventstore.proto", "google/rpc/status.proto"]
PACKAGE = "eventstore_client._proto"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proto-dir", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    args = parser.parse_args()
    out: pathlib.Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # The well-known types (empty.proto, timestamp.proto, any.proto) ship inside grpc_tools.
    well_known = pathlib.Path(protoc.__file__).parent / "_proto"
    command = [
        "grpc_tools.protoc",
        f"--proto_path={args.proto_dir}",
        f"--proto_path={well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *PROTOS,
    ]
    if protoc.main(command) != 0:
        print("protoc failed: " + " ".join(command), file=sys.stderr)
        return 1
    for generated in out.rglob("*.py*"):
        text = generated.read_text(encoding="utf-8")
        fixed = text.replace("from eventstore.v1 import", f"from {PACKAGE}.eventstore.v1 import")
        if fixed != text:
            generated.write_text(fixed, encoding="utf-8")
    for folder in [out, *[p for p in out.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    print(f"stubs generated into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
