module example.com/broken

go 1.22

require (
	github.com/google/uuid v1.6.0
	golang.org/x/text
	gopkg.in/yaml.v3 v3.0.1
)
