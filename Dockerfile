# Build a static followrank binary, then ship it alone in a small image that
# runs as an unprivileged user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/followrank ./cmd/followrank

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/followrank /usr/local/bin/followrank
COPY deploy/docker.yaml /etc/followrank/followrank.yaml
WORKDIR /var/lib/followrank
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/followrank", "--config", "/etc/followrank/followrank.yaml"]
CMD ["serve"]
