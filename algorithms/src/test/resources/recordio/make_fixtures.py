# Regenerate: /usr/bin/python3 make_fixtures.py .  (needs python3-protobuf)
# Writes RecordIO-protobuf files exactly as sagemaker.amazon.common.write_numpy_to_dense_tensor /
# write_spmatrix_to_sparse_tensor do, with the real protobuf runtime and the aialgs Record schema.
import struct, sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

fdp = descriptor_pb2.FileDescriptorProto(name="record.proto", package="aialgs.data", syntax="proto2")
def msg(name, fields, nested=()):
    m = fdp.message_type.add(name=name)
    for n in nested:
        m.nested_type.add().CopyFrom(n)
    for (fname, num, ftype, label, tname, packed) in fields:
        f = m.field.add(name=fname, number=num, type=ftype, label=label)
        if tname: f.type_name = tname
        if packed: f.options.packed = True
    return m
F = descriptor_pb2.FieldDescriptorProto
REP, OPT = F.LABEL_REPEATED, F.LABEL_OPTIONAL
msg("Float32Tensor", [("values",1,F.TYPE_FLOAT,REP,None,True),("keys",2,F.TYPE_UINT64,REP,None,True),("shape",3,F.TYPE_UINT64,REP,None,True)])
msg("Float64Tensor", [("values",1,F.TYPE_DOUBLE,REP,None,True),("keys",2,F.TYPE_UINT64,REP,None,True),("shape",3,F.TYPE_UINT64,REP,None,True)])
msg("Int32Tensor", [("values",1,F.TYPE_INT32,REP,None,True),("keys",2,F.TYPE_UINT64,REP,None,True),("shape",3,F.TYPE_UINT64,REP,None,True)])
msg("Value", [("float32_tensor",2,F.TYPE_MESSAGE,OPT,".aialgs.data.Float32Tensor",False),("float64_tensor",3,F.TYPE_MESSAGE,OPT,".aialgs.data.Float64Tensor",False),("int32_tensor",7,F.TYPE_MESSAGE,OPT,".aialgs.data.Int32Tensor",False)])
def entry(name):
    e = descriptor_pb2.DescriptorProto(name=name)
    e.options.map_entry = True
    e.field.add(name="key", number=1, type=F.TYPE_STRING, label=OPT)
    e.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=OPT, type_name=".aialgs.data.Value")
    return e
msg("Record", [("features",1,F.TYPE_MESSAGE,REP,".aialgs.data.Record.FeaturesEntry",False),("label",2,F.TYPE_MESSAGE,REP,".aialgs.data.Record.LabelEntry",False),("uid",3,F.TYPE_STRING,OPT,None,False)], nested=[entry("FeaturesEntry"), entry("LabelEntry")])
pool = descriptor_pool.DescriptorPool(); pool.Add(fdp)
Record = message_factory.GetMessageClass(pool.FindMessageTypeByName("aialgs.data.Record")) if hasattr(message_factory, "GetMessageClass") else message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("aialgs.data.Record"))

MAGIC = 0xCED7230A
def write_recordio(f, data):
    f.write(struct.pack("I", MAGIC)); f.write(struct.pack("I", len(data)))
    f.write(data); f.write(b"\x00" * ((4 - len(data) % 4) % 4))

def dense(path, rows, labels=None):
    with open(path, "wb") as f:
        for i, row in enumerate(rows):
            r = Record()
            r.features["values"].float32_tensor.values.extend(row)
            if labels is not None:
                r.label["values"].float32_tensor.values.extend([labels[i]])
            write_recordio(f, r.SerializeToString())

def sparse(path, rows, dim, labels):
    with open(path, "wb") as f:
        for i, row in enumerate(rows):
            r = Record()
            t = r.features["values"].float32_tensor
            for k, v in row: t.keys.append(k); t.values.append(v)
            t.shape.extend([dim])
            r.label["values"].float32_tensor.values.extend([labels[i]])
            write_recordio(f, r.SerializeToString())

out = sys.argv[1]
dense(out + "/dense-labelled.pbr", [[1.0, 2.0, 3.0], [4.0, 5.5, 6.0], [7.0, 8.0, 9.25]], [0.0, 1.0, 1.0])
dense(out + "/dense-unlabelled.pbr", [[0.0, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]])
sparse(out + "/sparse-labelled.pbr", [[(0, 1.5), (3, 2.0)], [(2, -1.0)]], 5, [3.0, 4.0])
