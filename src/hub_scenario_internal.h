/* hub_scenario_internal.h - what the scenario files of the data layer
 * share (hub_scenario.c, hub_scenario_clock.c). */
#ifndef MASHDESK_HUB_SCENARIO_INTERNAL_H
#define MASHDESK_HUB_SCENARIO_INTERNAL_H

#include <stddef.h>

#include "mashdesk/hub_scenario.h"

/* This host's name, for the clock's runner and desks' presence. */
void hub_scenario_host(char *host, size_t len);
/* 0 only when the process is certainly gone: on this host, no such pid
 * (on another host we cannot look, so it counts as alive). */
int hub_scenario_alive(const char *host, long pid);

#endif
