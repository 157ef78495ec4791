#!/usr/bin/env python3
"""A TF Serving client written from TF Serving's own REST/gRPC documentation (requests + numpy + Pillow, like the
R-FCN recipe's client), pointed at `rfcnperf serve --name rfcn`. Nothing here knows it talks to RfcnPerf.

  python3 tfserving_client.py IMAGE [--url http://127.0.0.1:8501/v1/models/rfcn] [--payload raw|b64]
  python3 tfserving_client.py IMAGE --grpc 127.0.0.1:8500     # needs python3-grpcio and python3-grpc-tools

Prints the detections above 0.5 as "class score [ymin xmin ymax xmax]" in pixels.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import requests
from PIL import Image


def rest(url, image_path, payload):
    if payload == "raw":
        image = np.array(Image.open(image_path).convert("RGB"))  # uint8 HxWx3, as the recipe sends
        body = json.dumps({"signature_name": "serving_default", "instances": [image.tolist()]})
    else:
        with open(image_path, "rb") as f:
            body = json.dumps({"instances": [{"b64": base64.b64encode(f.read()).decode("ascii")}]})
    start = time.time()
    response = requests.post(url + ":predict", data=body)
    elapsed = time.time() - start
    response.raise_for_status()
    prediction = response.json()["predictions"][0]
    return ({k: np.array(v) for k, v in prediction.items()}, elapsed)


def grpc_predict(target, image_path, protos):
    import grpc
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="tfs-protos-")
    files = ["tensorflow/core/framework/tensor.proto", "tensorflow_serving/apis/prediction_service.proto"]
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    if protoc.main(["protoc", "-I" + protos, "-I" + include, "--python_out=" + out, "--grpc_python_out=" + out] + files) != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    from tensorflow.core.framework import tensor_pb2
    from tensorflow_serving.apis import prediction_service_pb2, prediction_service_pb2_grpc

    with open(image_path, "rb") as f:
        data = f.read()
    request = prediction_service_pb2.PredictRequest()
    request.model_spec.name = "rfcn"
    request.model_spec.signature_name = "serving_default"
    tensor = tensor_pb2.TensorProto(dtype=tensor_pb2.DT_STRING, string_val=[data])
    tensor.tensor_shape.dim.add(size=1)
    request.inputs["inputs"].CopyFrom(tensor)
    stub = prediction_service_pb2_grpc.PredictionServiceStub(grpc.insecure_channel(target))
    start = time.time()
    response = stub.Predict(request, timeout=60)
    elapsed = time.time() - start
    outputs = {}
    for name, t in response.outputs.items():
        shape = [d.size for d in t.tensor_shape.dim]
        outputs[name] = np.frombuffer(t.tensor_content, dtype=np.float32).reshape(shape)[0]
    return outputs, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    parser.add_argument("--url", default="http://127.0.0.1:8501/v1/models/rfcn")
    parser.add_argument("--payload", choices=["raw", "b64"], default="raw")
    parser.add_argument("--grpc", help="HOST:PORT of the gRPC endpoint (instead of REST)")
    parser.add_argument("--protos", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "RfcnPerf.Serving", "Protos"))
    args = parser.parse_args()

    if args.grpc:
        outputs, elapsed = grpc_predict(args.grpc, args.image, args.protos)
    else:
        outputs, elapsed = rest(args.url, args.image, args.payload)
    height, width = np.array(Image.open(args.image)).shape[:2]
    n = int(outputs["num_detections"])
    print("%d detections in %.1f ms" % (n, elapsed * 1000))
    for i in range(n):
        score = float(outputs["detection_scores"][i])
        if score < 0.5:
            continue
        box = outputs["detection_boxes"][i] * np.array([height, width, height, width])
        print("%d %.3f [%.1f %.1f %.1f %.1f]" % (int(outputs["detection_classes"][i]), score, *box))


if __name__ == "__main__":
    main()
