"""An S3-compatible server for CallPipe's tests (docs/testing.md, "Object storage").

moto's server on a free loopback port, with request authentication on: an IAM user with S3 rights
is created first, and every later request must carry a valid Signature V4 from its key. Prints
`ready PORT ACCESS_KEY SECRET_KEY` once it serves, then runs until stdin closes (the test process
holds the pipe, so the server ends with it however it ends).
"""
import json
import os
import sys

# The first three requests (the IAM setup below) go through without authentication; every later
# one is checked against the user's key.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://{host}:{port}"
iam = boto3.client(
    "iam", endpoint_url=endpoint, region_name="us-east-1",
    aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="callpipe")
iam.put_user_policy(
    UserName="callpipe", PolicyName="s3",
    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="callpipe")["AccessKey"]
print(f"ready {port} {key['AccessKeyId']} {key['SecretAccessKey']}", flush=True)
sys.stdin.read()
server.stop()
