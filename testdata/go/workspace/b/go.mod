module example.com/ws/b

go 1.22

require (
	example.com/ws/a v0.1.0
	github.com/google/uuid v1.6.0
)

require golang.org/x/text v0.14.0 // indirect
