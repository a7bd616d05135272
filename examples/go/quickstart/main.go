// quickstart: the native Go API in one page. Connects to the broker given as the first argument
// (default mqtt://127.0.0.1:1883), subscribes with a handler, publishes at QoS 0, 1 and 2
// (each Publish returns once the message is written / acknowledged), waits for the three
// messages, disconnects.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

func main() {
	broker := "mqtt://127.0.0.1:1883"
	if len(os.Args) > 1 {
		broker = os.Args[1]
	}
	if err := run(broker); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(broker string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	client, err := ouzel.NewClient(ouzel.Options{
		Servers:  []string{broker},
		ClientID: fmt.Sprintf("go-quickstart-%d", os.Getpid()),
		Version:  ouzel.MQTT5,
	})
	if err != nil {
		return err
	}
	defer client.Close()

	if _, err := client.Connect(ctx); err != nil {
		return err
	}
	fmt.Println("connected to", broker)

	received := make(chan *ouzel.Message, 3)
	_, err = client.Subscribe(ctx, "ouzel/quickstart/#", ouzel.QoS2, ouzel.WithHandler(func(m *ouzel.Message) {
		fmt.Printf("received %s (QoS %d): %s\n", m.Topic, m.QoS, m.Payload)
		received <- m
	}))
	if err != nil {
		return err
	}

	for _, qos := range []ouzel.QoS{ouzel.QoS0, ouzel.QoS1, ouzel.QoS2} {
		topic := fmt.Sprintf("ouzel/quickstart/qos%d", qos)
		d, err := client.Publish(ctx, topic, []byte(fmt.Sprintf("hello at QoS %d", qos)), qos)
		if err != nil {
			return err
		}
		fmt.Printf("published to %s: %s\n", topic, d.State)
	}
	for i := 0; i < 3; i++ {
		select {
		case <-received:
		case <-ctx.Done():
			return fmt.Errorf("only %d of 3 messages arrived: %w", i, ctx.Err())
		}
	}
	if err := client.Disconnect(ctx); err != nil {
		return err
	}
	fmt.Println("disconnected")
	return nil
}
