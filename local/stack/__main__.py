"""`python -m local.stack up`: keep the offline stack running for the AWS CLI and boto3."""

from __future__ import annotations

import argparse
import json
import sys

from local.loopback import serve_until_stopped
from local.stack.offline import offline_stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.stack")
    parser.add_argument("command", choices=["up"], help="start the stack and wait for Ctrl-C")
    parser.add_argument("--moto-port", type=int, default=5000)
    parser.add_argument("--personalize-port", type=int, default=8091)
    args = parser.parse_args(argv)
    with offline_stack(
        "server", moto_port=args.moto_port, personalize_port=args.personalize_port
    ) as offline:
        print("Offline stack is up. In another shell:\n")
        for key, value in offline.services.environment().items():
            print(f"  export {key}={value}")
        print("\nStack outputs:")
        print(json.dumps(offline.outputs, indent=2))
        print(
            "\nFor example:\n  aws stepfunctions start-execution --state-machine-arn "
            f"{offline.outputs['LifecycleStateMachineArn']} --name first "
            "--input file://events/lifecycle-offline.json\n\nCtrl-C stops it.",
            flush=True,
        )
        serve_until_stopped()
    return 0


if __name__ == "__main__":
    sys.exit(main())
