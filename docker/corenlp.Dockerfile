# The Stanford CoreNLP server that gives the pipeline its German and Spanish named entities (models de/es:
# {backend: corenlp}; Italian opt-in; docs/processing.md). The jars come from Maven Central, named by tools/corenlp-local/pom.xml,
# the same ones the local server and the tests use.
#   docker build -f docker/corenlp.Dockerfile -t newsetl-corenlp:local .        (docker compose builds it for you)
#   docker build -f docker/corenlp.Dockerfile --build-arg CORENLP_MODELS="french chinese" ...   (more languages)
FROM maven:3.9-eclipse-temurin-17 AS jars
ARG CORENLP_MODELS=""
WORKDIR /build
COPY tools/corenlp-local/pom.xml ./
RUN mvn -q -B dependency:copy-dependencies -DoutputDirectory=/opt/corenlp/lib -DincludeScope=runtime \
 && version=$(sed -n 's:.*<corenlp.version>\(.*\)</corenlp.version>.*:\1:p' pom.xml) \
 && for m in ${CORENLP_MODELS}; do \
      mvn -q -B dependency:copy -DoutputDirectory=/opt/corenlp/lib \
        -Dartifact="edu.stanford.nlp:stanford-corenlp:${version}:jar:models-${m}" || exit 1; \
    done

FROM eclipse-temurin:17-jre
COPY --from=jars /opt/corenlp/lib /opt/corenlp/lib
# no bind-address option: the container is reachable on the compose network only (no published port)
USER 65534:65534
EXPOSE 9000
ENV CORENLP_HEAP=2g
CMD ["bash", "-c", "exec java -Xmx${CORENLP_HEAP} -cp '/opt/corenlp/lib/*' edu.stanford.nlp.pipeline.StanfordCoreNLPServer -port 9000 -timeout 120000 -quiet"]
