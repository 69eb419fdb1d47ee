// Hand-written fixture for bomsight (see ../README.md). Not produced by the go tool.
module example.com/app

go 1.22

toolchain go1.22.3

require (
	example.com/local/lib v1.2.0
	github.com/docker/docker v24.0.7+incompatible
	github.com/gogo/protobuf v1.3.2 // indirect
	github.com/google/uuid v1.6.0
	github.com/opencontainers/go-digest v1.0.0 // indirect
	golang.org/x/sys v0.0.0-20240318000000-abcdefabcdef // indirect
	golang.org/x/text v0.14.0
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/pkg/errors v0.9.1 // indirect

replace github.com/gogo/protobuf v1.3.2 => github.com/regen-network/protobuf v1.3.3-alpha.regen.1

replace (
	example.com/local/lib => ../local/lib
)

exclude golang.org/x/text v0.13.0

retract (
	v1.0.1 // Published with a broken go.mod.
	[v1.1.0, v1.1.5] // Wrong import paths.
)
