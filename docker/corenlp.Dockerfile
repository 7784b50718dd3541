# The Stanford CoreNLP server that gives the pipeline its German, Spanish and Italian named entities (models de/es/it:
# {backend: corenlp}; docs/processing.md). The jars come from Maven Central, named by tools/corenlp-local/pom.xml,
# the same ones the local server and the tests use; the Italian model is rewritten with its gazettes indexed
# (tools/corenlp-local/src: the same output, ~75 times faster), as `tools/corenlp-local/corenlp-local build` does.
#   docker build -f docker/corenlp.Dockerfile -t newsetl-corenlp:local .        (docker compose builds it for you)
#   docker build -f docker/corenlp.Dockerfile --build-arg CORENLP_MODELS="french chinese" ...   (more languages)
FROM maven:3.9-eclipse-temurin-17 AS jars
ARG CORENLP_MODELS=""
WORKDIR /build
COPY tools/corenlp-local/pom.xml ./
COPY tools/corenlp-local/src ./src
RUN mvn -q -B compile dependency:copy-dependencies -DoutputDirectory=/opt/corenlp/lib -DincludeScope=runtime \
 && version=$(sed -n 's:.*<corenlp.version>\(.*\)</corenlp.version>.*:\1:p' pom.xml) \
 && for m in ${CORENLP_MODELS}; do \
      mvn -q -B dependency:copy -DoutputDirectory=/opt/corenlp/lib \
        -Dartifact="edu.stanford.nlp:stanford-corenlp:${version}:jar:models-${m}" || exit 1; \
    done \
 && mkdir -p /opt/corenlp/classes /opt/corenlp/indexed/edu/stanford/nlp/models/ner \
 && cp -r lib/build/classes/. /opt/corenlp/classes/ \
 && java -Xmx3g -cp "/opt/corenlp/classes:/opt/corenlp/lib/*" newsetl.corenlp.IndexedGazetteFeatureFactory \
      edu/stanford/nlp/models/ner/italian.crf.ser.gz /opt/corenlp/indexed/edu/stanford/nlp/models/ner/italian.crf.ser.gz

FROM eclipse-temurin:17-jre
COPY --from=jars /opt/corenlp /opt/corenlp
# no bind-address option: the container is reachable on the compose network only (no published port)
USER 65534:65534
EXPOSE 9000
ENV CORENLP_HEAP=2g
# indexed/ first: its Italian model stands in for the jar's own of the same name
CMD ["bash", "-c", "exec java -Xmx${CORENLP_HEAP} -cp '/opt/corenlp/indexed:/opt/corenlp/classes:/opt/corenlp/lib/*' edu.stanford.nlp.pipeline.StanfordCoreNLPServer -port 9000 -timeout 120000 -quiet"]
