module github.com/ouzel-mqtt/ouzel/bindings/go

go 1.24
