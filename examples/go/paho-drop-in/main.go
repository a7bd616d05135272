// paho-drop-in: a program written for github.com/eclipse/paho.mqtt.golang, in the shape of its
// documented usage (package loggers, the ClientOptions builder, a default publish handler, a
// connection notification handler, tokens waited on), running on Ouzel. Against paho itself
// the only line that differs is the import; examples_test.go builds it both ways against the
// same broker and compares what they print.
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	mqtt "github.com/ouzel-mqtt/ouzel/bindings/go/pahocompat"
)

var received = make(chan struct{}, 16)

var onMessage mqtt.MessageHandler = func(client mqtt.Client, msg mqtt.Message) {
	fmt.Printf("TOPIC: %s\n", msg.Topic())
	fmt.Printf("MSG: %s\n", msg.Payload())
	received <- struct{}{}
}

func main() {
	broker := "tcp://127.0.0.1:1883"
	if len(os.Args) > 1 {
		broker = os.Args[1]
	}
	mqtt.ERROR = log.New(os.Stderr, "[ERROR] ", 0)
	mqtt.CRITICAL = log.New(os.Stderr, "[CRIT] ", 0)

	opts := mqtt.NewClientOptions().AddBroker(broker).SetClientID(fmt.Sprintf("drop-in-%d", os.Getpid()))
	opts.SetKeepAlive(2 * time.Second)
	opts.SetDefaultPublishHandler(onMessage)
	opts.SetPingTimeout(1 * time.Second)
	opts.SetConnectionNotificationHandler(func(client mqtt.Client, n mqtt.ConnectionNotification) {
		if _, ok := n.(mqtt.ConnectionNotificationConnected); ok {
			fmt.Println("[NOTIFICATION] connected")
		}
	})

	c := mqtt.NewClient(opts)
	if token := c.Connect(); token.Wait() && token.Error() != nil {
		panic(token.Error())
	}

	if token := c.Subscribe("drop-in/sample", 0, nil); token.Wait() && token.Error() != nil {
		fmt.Println(token.Error())
		os.Exit(1)
	}

	for i := 0; i < 5; i++ {
		text := fmt.Sprintf("this is msg #%d!", i)
		token := c.Publish("drop-in/sample", 0, false, text)
		token.Wait()
	}

	for i := 0; i < 5; i++ {
		select {
		case <-received:
		case <-time.After(10 * time.Second):
			fmt.Println("timed out waiting for messages")
			os.Exit(1)
		}
	}

	if token := c.Unsubscribe("drop-in/sample"); token.Wait() && token.Error() != nil {
		fmt.Println(token.Error())
		os.Exit(1)
	}

	c.Disconnect(250)
	fmt.Println("done")
}
