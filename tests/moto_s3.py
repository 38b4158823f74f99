"""moto's S3 server for the deploy tests, with signature checking on.

Starts moto on 127.0.0.1 (a free port), creates an IAM user with an access key allowed to use
S3, and a bucket; from then on every request must be signed (SigV4) with that key. Prints one
line of JSON ({"port", "key_id", "secret"}) and serves until its standard input closes.

Usage: python3 tests/moto_s3.py BUCKET
"""
import json
import os
import sys

# Requests before authentication is enforced: exactly the set-up below.
SETUP_REQUESTS = 4
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_REQUESTS)

from urllib.parse import quote, unquote  # noqa: E402

import boto3  # noqa: E402
import botocore.auth  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402


def _canonical_query_string_url(self, parts):
    """SigV4's canonical query string, as the specification defines it: each name and value
    URI-encoded with only A-Z a-z 0-9 - _ . ~ left as they are ('/' becomes %2F).

    moto 5.2 checks a request's signature by handing botocore the URL the web server decoded
    (`prefix=shop/`), and botocore uses a URL's query as it is, so moto computes `prefix=shop/`
    where the client, AWS and the specification have `prefix=shop%2F`: every listing below a
    folder fails with SignatureDoesNotMatch, boto3's own included. This puts the
    specification's encoding back in moto's process (it changes nothing for a query that was
    already canonical).
    """
    if not parts.query:
        return ""
    pairs = []
    for pair in parts.query.split("&"):
        key, _, value = pair.partition("=")
        pairs.append((quote(unquote(key), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


botocore.auth.SigV4Auth._canonical_query_string_url = _canonical_query_string_url


def main():
    bucket = sys.argv[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    setup = dict(endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="setup", aws_secret_access_key="setup")
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="shopgen")
    key = iam.create_access_key(UserName="shopgen")["AccessKey"]
    iam.put_user_policy(UserName="shopgen", PolicyName="s3", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }))
    boto3.client("s3", **setup).create_bucket(Bucket=bucket)
    print(json.dumps({"port": port, "key_id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
