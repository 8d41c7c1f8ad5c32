"""librdkafka transactions: commit, abort, commit with a transactional producer, then a read_committed
consumer must see exactly the committed records. Exits non-zero on failure."""
import sys, time
from confluent_kafka import Producer, Consumer
bs = sys.argv[1]
topic = f"rtx-{int(time.time()*1000)}"
p = Producer({'bootstrap.servers': bs, 'transactional.id': 'rdk-tx'})
p.init_transactions(30)
p.begin_transaction()
for i in range(10): p.produce(topic, value=f'c{i}')
p.commit_transaction(30)
p.begin_transaction()
for i in range(10): p.produce(topic, value=f'a{i}')
p.abort_transaction(30)
p.begin_transaction()
for i in range(5): p.produce(topic, value=f'd{i}')
p.commit_transaction(30)
c = Consumer({'bootstrap.servers': bs, 'group.id': topic, 'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed'})
c.subscribe([topic])
seen = []
end = time.time() + 30
while len(seen) < 15 and time.time() < end:
    m = c.poll(0.3)
    if m is not None and not m.error(): seen.append(m.value().decode())
time.sleep(1)
m = c.poll(1)
if m is not None and not m.error(): seen.append(m.value().decode())
c.close()
ok = sorted(seen) == sorted([f'c{i}' for i in range(10)] + [f'd{i}' for i in range(5)])
print(('ok - librdkafka transactional producer + read_committed consumer' if ok else 'RDKAFKA TXN CHECK FAILED: ' + str(seen)))
sys.exit(0 if ok else 1)
