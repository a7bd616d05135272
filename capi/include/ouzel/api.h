/* Ouzel C API: the whole API as one table of function pointers, for programs that load Ouzel with
 * dlopen and want a single dlsym:
 *
 *   ouzel_get_api_fn get = (ouzel_get_api_fn)dlsym(handle, "ouzel_get_api");
 *   const ouzel_api *api = get(OUZEL_API_VERSION);
 *   if (api == NULL) ... the library is older than this header ...
 *   api->client_new(&client, NULL);
 *
 * Fields are only ever appended; `api_size` tells how many bytes of the table the library filled.
 */
#ifndef OUZEL_API_H
#define OUZEL_API_H

#include "ouzel/client.h"
#include "ouzel/common.h"
#include "ouzel/errors.h"
#include "ouzel/events.h"
#include "ouzel/loop.h"
#include "ouzel/message.h"
#include "ouzel/options.h"
#include "ouzel/persistence.h"
#include "ouzel/properties.h"
#include "ouzel/protocol.h"
#include "ouzel/tls.h"
#include "ouzel/topic.h"
#include "ouzel/version.h"

OUZEL_BEGIN_DECLS

/* Declared in ouzel/sys/transport.h and ouzel/sys/store.h, which ouzel.h does not include
 * (extension points that may still change); named here only so the table can hold their
 * functions. */
struct ouzel_transport_vtable;
struct ouzel_store_vtable;
struct ouzel_store_loader;
struct ouzel_transport_conn;

#define OUZEL_API_VERSION 1

typedef struct ouzel_api {
  uint32_t api_version; /* the table version the library returned (>= the one asked for) */
  size_t api_size;      /* sizeof(ouzel_api) in the library */
  const char* (*strerror)(int code);
  const char* (*last_error_message)(void);
  int32_t (*version)(void);
  const char* (*version_string)(void);
  int (*properties_new)(ouzel_properties** out);
  void (*properties_free)(ouzel_properties* props);
  int (*properties_clone)(ouzel_properties** out, const ouzel_properties* props);
  int (*properties_set_int)(ouzel_properties* props, int32_t id, uint32_t value);
  int (*properties_set_string)(ouzel_properties* props, int32_t id, const char* value,
                               size_t value_len);
  int (*properties_set_binary)(ouzel_properties* props, int32_t id, const void* value,
                               size_t value_len);
  int (*properties_add_user)(ouzel_properties* props, const char* name, size_t name_len,
                             const char* value, size_t value_len);
  int (*properties_remove)(ouzel_properties* props, int32_t id);
  size_t (*properties_count)(const ouzel_properties* props);
  int32_t (*properties_id_at)(const ouzel_properties* props, size_t index);
  int (*properties_int_at)(const ouzel_properties* props, size_t index, uint32_t* out);
  int (*properties_bytes_at)(const ouzel_properties* props, size_t index, const char** out,
                             size_t* out_len);
  int (*properties_user_at)(const ouzel_properties* props, size_t index, const char** name,
                            size_t* name_len, const char** value, size_t* value_len);
  int (*properties_get_int)(const ouzel_properties* props, int32_t id, uint32_t* out);
  int (*properties_get_bytes)(const ouzel_properties* props, int32_t id, const char** out,
                              size_t* out_len);
  const char* (*message_topic)(const ouzel_message* msg, size_t* len);
  const void* (*message_payload)(const ouzel_message* msg, size_t* len);
  int32_t (*message_qos)(const ouzel_message* msg);
  int32_t (*message_retain)(const ouzel_message* msg);
  int32_t (*message_dup)(const ouzel_message* msg);
  int32_t (*message_mid)(const ouzel_message* msg);
  const ouzel_properties* (*message_properties)(const ouzel_message* msg);
  int (*message_clone)(ouzel_message** out, const ouzel_message* msg);
  void (*message_free)(ouzel_message* msg);
  int (*options_new)(ouzel_options** out);
  void (*options_free)(ouzel_options* opts);
  int (*options_set_int)(ouzel_options* opts, int32_t option, int64_t value);
  int (*options_set_string)(ouzel_options* opts, int32_t option, const char* value,
                            size_t value_len);
  int (*options_set_connect_properties)(ouzel_options* opts, const ouzel_properties* props);
  int (*options_set_will)(ouzel_options* opts, const char* topic, size_t topic_len,
                          const void* payload, size_t payload_len, int32_t qos, int32_t retain,
                          const ouzel_properties* props);
  void (*options_clear_will)(ouzel_options* opts);
  int (*client_new)(ouzel_client** out, const ouzel_options* opts);
  void (*client_free)(ouzel_client* client);
  int (*client_connect)(ouzel_client* client);
  int (*client_connect_blocking)(ouzel_client* client);
  int (*client_reconnect)(ouzel_client* client);
  int (*client_disconnect)(ouzel_client* client, int32_t reason_code,
                           const ouzel_properties* props);
  int32_t (*client_is_connected)(const ouzel_client* client);
  int (*delivery_status_init)(ouzel_delivery_status* status, uint32_t version);
  int (*client_publish)(ouzel_client* client, const char* topic, size_t topic_len,
                        const void* payload, size_t payload_len, int32_t qos, int32_t retain,
                        const ouzel_properties* props, uint64_t* out_token, int32_t* out_mid);
  int (*client_delivery_status)(ouzel_client* client, uint64_t token,
                                ouzel_delivery_status* status);
  int (*client_wait_for_publish)(ouzel_client* client, uint64_t token, int32_t timeout_ms);
  int (*subscription_init)(ouzel_subscription* sub, uint32_t version);
  int (*client_subscribe)(ouzel_client* client, const ouzel_subscription* subs, size_t count,
                          const ouzel_properties* props, int32_t* out_mid);
  int (*client_unsubscribe)(ouzel_client* client, const char* const* filters, const size_t* lens,
                            size_t count, const ouzel_properties* props, int32_t* out_mid);
  int (*client_ack)(ouzel_client* client, int32_t mid);
  int (*client_auth_continue)(ouzel_client* client, const ouzel_properties* props);
  int (*client_reauthenticate)(ouzel_client* client, const ouzel_properties* props);
  int (*client_set_on_connect)(ouzel_client* client, ouzel_on_connect_fn cb, void* user_data,
                               ouzel_release_fn release);
  int (*client_set_on_connect_fail)(ouzel_client* client, ouzel_on_connect_fail_fn cb,
                                    void* user_data, ouzel_release_fn release);
  int (*client_set_on_disconnect)(ouzel_client* client, ouzel_on_disconnect_fn cb, void* user_data,
                                  ouzel_release_fn release);
  int (*client_set_on_message)(ouzel_client* client, ouzel_on_message_fn cb, void* user_data,
                               ouzel_release_fn release);
  int (*client_set_on_publish)(ouzel_client* client, ouzel_on_publish_fn cb, void* user_data,
                               ouzel_release_fn release);
  int (*client_set_on_subscribe)(ouzel_client* client, ouzel_on_subscribe_fn cb, void* user_data,
                                 ouzel_release_fn release);
  int (*client_set_on_unsubscribe)(ouzel_client* client, ouzel_on_unsubscribe_fn cb,
                                   void* user_data, ouzel_release_fn release);
  int (*client_set_on_auth)(ouzel_client* client, ouzel_on_auth_fn cb, void* user_data,
                            ouzel_release_fn release);
  int (*client_set_on_log)(ouzel_client* client, ouzel_on_log_fn cb, int32_t min_level,
                           void* user_data, ouzel_release_fn release);
  int (*client_set_on_socket_open)(ouzel_client* client, ouzel_on_socket_fn cb, void* user_data,
                                   ouzel_release_fn release);
  int (*client_set_on_socket_close)(ouzel_client* client, ouzel_on_socket_fn cb, void* user_data,
                                    ouzel_release_fn release);
  int (*client_set_on_socket_register_write)(ouzel_client* client, ouzel_on_socket_fn cb,
                                             void* user_data, ouzel_release_fn release);
  int (*client_set_on_socket_unregister_write)(ouzel_client* client, ouzel_on_socket_fn cb,
                                               void* user_data, ouzel_release_fn release);
  int (*client_stat)(const ouzel_client* client, int32_t stat, int64_t* out);
  int (*client_loop_start)(ouzel_client* client);
  int (*client_loop_stop)(ouzel_client* client);
  int (*client_loop)(ouzel_client* client, int32_t timeout_ms);
  int (*client_loop_forever)(ouzel_client* client, int32_t retry_first_connection);
  int32_t (*client_socket)(const ouzel_client* client);
  int32_t (*client_wake_fd)(const ouzel_client* client);
  int32_t (*client_want_write)(const ouzel_client* client);
  int (*client_loop_read)(ouzel_client* client);
  int (*client_loop_write)(ouzel_client* client);
  int (*client_loop_misc)(ouzel_client* client);
  int32_t (*client_next_timeout_ms)(const ouzel_client* client);
  int (*client_set_options)(ouzel_client* client, const ouzel_options* opts, uint32_t flags);
  int (*client_set_on_pre_connect)(ouzel_client* client, ouzel_on_pre_connect_fn cb,
                                   void* user_data, ouzel_release_fn release);
  int (*options_set_store)(ouzel_options* opts, const struct ouzel_store_vtable* vtable,
                           void* user_data);
  int (*store_loader_add)(struct ouzel_store_loader* loader, const char* key, size_t key_len,
                          const void* value, size_t value_len);
  int (*persistence_report_init)(ouzel_persistence_report* report, uint32_t version);
  int (*client_persistence_report)(const ouzel_client* client, ouzel_persistence_report* report);
  int (*options_set_tls_verify_callback)(ouzel_options* opts, ouzel_tls_verify_fn cb,
                                         void* user_data, ouzel_release_fn release);
  int (*options_set_transport)(ouzel_options* opts, const struct ouzel_transport_vtable* vtable,
                               void* user);
  int (*transport_notify)(struct ouzel_transport_conn* conn, int32_t events);
  int (*transport_set_error)(struct ouzel_transport_conn* conn, const char* message, size_t len);
  int (*message_fields_init)(ouzel_message_fields* fields, uint32_t version);
  int (*message_get_fields)(const ouzel_message* msg, ouzel_message_fields* fields);
  int (*topic_validate_name)(const char* topic, size_t topic_len);
  int (*topic_validate_filter)(const char* filter, size_t filter_len);
  int (*topic_matches)(const char* filter, size_t filter_len, const char* topic, size_t topic_len);
  int (*topic_router_new)(ouzel_topic_router** out);
  void (*topic_router_free)(ouzel_topic_router* router);
  int (*topic_router_add)(ouzel_topic_router* router, const char* filter, size_t filter_len,
                          uint64_t id);
  int (*topic_router_remove)(ouzel_topic_router* router, const char* filter, size_t filter_len,
                             uint64_t id);
  int (*topic_router_match)(const ouzel_topic_router* router, const char* topic, size_t topic_len,
                            uint64_t* ids, size_t max, size_t* out_total);
  size_t (*topic_router_count)(const ouzel_topic_router* router);
  const char* (*reason_code_name)(int32_t protocol_version, int32_t packet_type, int32_t code);
  int (*reason_code_is_error)(int32_t protocol_version, int32_t packet_type, int32_t code);
  int (*reason_codes)(int32_t protocol_version, int32_t packet_type, const uint8_t** out,
                      size_t* out_count);
  const char* (*property_name)(int32_t id);
  int (*property_type)(int32_t id);
  int (*property_allowed)(int32_t id, int32_t packet_type);
  int (*options_get_int)(const ouzel_options* opts, int32_t option, int64_t* out);
  int (*options_get_string)(const ouzel_options* opts, int32_t option, const char** out,
                            size_t* out_len);
  int (*option_info_init)(ouzel_option_info* info, uint32_t version);
  int (*option_get_info)(int32_t option, ouzel_option_info* info);
  int (*option_ids)(const int32_t** out, size_t* out_count);
  int32_t (*client_state)(const ouzel_client* client);
  int (*client_withhold_ack)(ouzel_client* client);
  int (*event_init)(ouzel_event* events, uint32_t version);
  int (*client_poll_events)(ouzel_client* client, ouzel_event* events, size_t max,
                            int32_t timeout_ms);
  int (*client_release_events)(ouzel_client* client, ouzel_event* events, size_t count);
  int32_t (*client_event_fd)(const ouzel_client* client);
  int (*client_interrupt_poll)(ouzel_client* client);
  int32_t (*client_want_read)(const ouzel_client* client);
} ouzel_api;

/* The function table for `version` (OUZEL_API_VERSION of the caller's header), or NULL when the
 * library does not know that version. The table is static: never free it. Thread-safe. */
OUZEL_EXTERN const ouzel_api* ouzel_get_api(uint32_t version);
typedef const ouzel_api* (*ouzel_get_api_fn)(uint32_t version);

OUZEL_END_DECLS

#endif /* OUZEL_API_H */
