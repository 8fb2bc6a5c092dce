/* strategy_form.h - placeholder */
#ifndef MASHDESK_STRATEGY_FORM_H
#define MASHDESK_STRATEGY_FORM_H
#endif
