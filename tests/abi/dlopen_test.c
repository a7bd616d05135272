/* A host that loads libouzel.so as a plugin: dlopen, one dlsym (ouzel_get_api), then only the
 * function table. Checks the table is complete and usable, and that the library exports nothing
 * a host could collide with. (The full publish/subscribe through the table against a real broker
 * is in tests/integration.) */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "ouzel.h"

int main(int argc, char** argv) {
  void* lib;
  ouzel_get_api_fn get_api;
  const ouzel_api* api;
  const void* const* fields;
  size_t i, count;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;

  if (argc != 2) {
    fprintf(stderr, "usage: %s path/to/libouzel.so\n", argv[0]);
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  /* A C++ symbol of the engine must not be visible to the host. */
  if (dlsym(lib, "_ZN5ouzel6ClientD1Ev") != NULL) {
    fprintf(stderr, "engine C++ symbols are exported\n");
    return 1;
  }
  *(void**)(&get_api) = dlsym(lib, "ouzel_get_api");
  if (get_api == NULL) {
    fprintf(stderr, "dlsym(ouzel_get_api): %s\n", dlerror());
    return 1;
  }
  if (get_api(OUZEL_API_VERSION + 1) != NULL) {
    fprintf(stderr, "a future table version must be refused\n");
    return 1;
  }
  api = get_api(OUZEL_API_VERSION);
  if (api == NULL || api->api_version < OUZEL_API_VERSION || api->api_size < sizeof(ouzel_api)) {
    fprintf(stderr, "no usable table\n");
    return 1;
  }
  /* Every slot after the two header fields must be filled. Function pointers are read through a
   * byte copy: the table is a sequence of pointers after api_version/api_size. */
  count = (sizeof(ouzel_api) - offsetof(ouzel_api, strerror)) / sizeof(void (*)(void));
  fields = (const void* const*)(const void*)&api->strerror;
  for (i = 0; i < count; ++i) {
    void* slot;
    memcpy(&slot, (const char*)fields + i * sizeof(void*), sizeof(slot));
    if (slot == NULL) {
      fprintf(stderr, "table slot %zu is empty\n", i);
      return 1;
    }
  }
  if (api->version() != OUZEL_VERSION_NUMBER || strcmp(api->strerror(OUZEL_OK), "success") != 0) {
    fprintf(stderr, "table functions misbehave\n");
    return 1;
  }
  if (api->options_new(&opts) != OUZEL_OK ||
      api->options_set_string(opts, OUZEL_OPT_SERVER_URI, "mqtt://127.0.0.1:1", (size_t)-1) !=
          OUZEL_OK ||
      api->client_new(&client, opts) != OUZEL_OK) {
    fprintf(stderr, "creating a client through the table failed: %s\n", api->last_error_message());
    return 1;
  }
  api->client_free(client);
  api->options_free(opts);
  if (dlclose(lib) != 0) {
    fprintf(stderr, "dlclose: %s\n", dlerror());
    return 1;
  }
  printf("dlopen + ouzel_get_api: %zu functions in the table, all present\n", count);
  return 0;
}
