module github.com/ouzel-mqtt/ouzel/tests/scenarios/go

go 1.24.0

require github.com/ouzel-mqtt/ouzel/bindings/go v0.0.0

replace github.com/ouzel-mqtt/ouzel/bindings/go => ../../../bindings/go
