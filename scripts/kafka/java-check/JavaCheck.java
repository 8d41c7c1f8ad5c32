// Interop check of the embedded broker with the Java clients (run as a single source file:
// java -cp 'klib/*' JavaCheck.java HOST:PORT). Admin + idempotent producer + group consumer + a Kafka Streams
// exactly_once_v2 aggregation with a repartition topic and a changelog; exits non-zero on any mismatch.
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.kstream.*;

public class JavaCheck {
  static void check(boolean ok, String what) {
    if (!ok) { System.err.println("JAVA CHECK FAILED: " + what); System.exit(1); }
    System.out.println("ok - " + what);
  }

  public static void main(String[] args) throws Exception {
    String bs = args[0];
    String run = Long.toString(System.currentTimeMillis());
    String in = "jin-" + run, out = "jout-" + run;
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    try (Admin admin = Admin.create(ap)) {
      admin.createTopics(List.of(new NewTopic(in, 3, (short) 1), new NewTopic(out, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
      check(admin.listTopics().names().get().containsAll(List.of(in, out)), "admin creates and lists topics");
      var desc = admin.describeTopics(List.of(in)).allTopicNames().get().get(in);
      check(desc.partitions().size() == 3, "describeTopics shows 3 partitions");
      var cfg = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, in))).all().get().values().iterator().next();
      check("delete".equals(cfg.get("cleanup.policy").value()), "describeConfigs returns cleanup.policy");
    }

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) { // idempotence is on by default
      for (int i = 0; i < 300; i++) p.send(new ProducerRecord<>(in, "k" + (i % 30), "v" + i));
      p.flush();
    }
    check(true, "idempotent zstd producer sent 300 records");

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "jgroup-" + run);
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
      c.subscribe(List.of(in));
      long end = System.currentTimeMillis() + 60000;
      while (seen.size() < 300 && System.currentTimeMillis() < end) {
        for (var r : c.poll(Duration.ofMillis(500))) seen.add(r.value());
      }
      c.commitSync();
    }
    check(seen.size() == 300, "group consumer read all 300 records (got " + seen.size() + ")");

    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, "jcount-" + run);
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    sp.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    sp.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/jcheck-" + run);
    sp.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    sp.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    StreamsBuilder b = new StreamsBuilder();
    b.<String, String>stream(in)
        .groupBy((k, v) -> k) // forces a repartition topic
        .count(Materialized.as("counts"))
        .toStream()
        .mapValues(Object::toString)
        .to(out);
    Map<String, String> latest = new HashMap<>();
    try (KafkaStreams streams = new KafkaStreams(b.build(), sp)) {
      streams.start();
      Properties rp = new Properties();
      rp.putAll(cp);
      rp.put(ConsumerConfig.GROUP_ID_CONFIG, "jout-reader-" + run);
      rp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(rp)) {
        c.subscribe(List.of(out));
        long end = System.currentTimeMillis() + 120000;
        while (System.currentTimeMillis() < end) {
          for (var r : c.poll(Duration.ofMillis(500))) latest.put(r.key(), r.value());
          if (latest.size() == 30 && latest.values().stream().allMatch("10"::equals)) break;
        }
      }
      streams.close(Duration.ofSeconds(30));
    }
    check(latest.size() == 30 && latest.values().stream().allMatch("10"::equals), "Kafka Streams EOS count is 10 for all 30 keys (got " + latest + ")");
    System.out.println("JAVA CHECK OK");
  }
}
