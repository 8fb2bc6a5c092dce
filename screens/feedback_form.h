/* feedback_form.h */
#ifndef MASHDESK_FEEDBACK_FORM_H
#define MASHDESK_FEEDBACK_FORM_H
#endif
