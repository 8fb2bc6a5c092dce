-- 0002_codes.sql - the codes every report counts by (PostgreSQL twin of
-- db/migrations/0002_codes.sql: the same rows, the same statements).

INSERT INTO agency (code, name, sort) VALUES
	('police',    'Police',                  1),
	('csc',       'Children''s social care', 2),
	('health',    'Health',                  3),
	('education', 'Education',               4),
	('probation', 'Probation',               5),
	('housing',   'Housing',                 6);

INSERT INTO role (code, name, sort) VALUES
	('practitioner', 'Practitioner',          1),
	('supervisor',   'Supervisor',            2),
	('trainer',      'Trainer',               3),
	('admin',        'Administrator',         4);

INSERT INTO rag (code, name, sort) VALUES
	('red',   'Red: act now',          1),
	('amber', 'Amber: act today',      2),
	('green', 'Green: act this week',  3);

INSERT INTO need_level (level, name) VALUES
	(1, 'No additional needs'),
	(2, 'Low / vulnerable: early help'),
	(3, 'Complex needs: child in need'),
	(4, 'Acute: child protection');

-- cin_code: primary need in the children-in-need census (N1..N9).
INSERT INTO category (code, name, sort, cin_code) VALUES
	('neglect',                'Neglect',                      1, 'N1'),
	('physical',               'Physical abuse',               2, 'N1'),
	('sexual',                 'Sexual abuse',                 3, 'N1'),
	('emotional',              'Emotional abuse',              4, 'N1'),
	('domestic-abuse',         'Domestic abuse',               5, 'N1'),
	('cse',                    'Child sexual exploitation',    6, 'N1'),
	('cce',                    'Child criminal exploitation',  7, 'N6'),
	('parental-mental-health', 'Parental mental health',       8, 'N3'),
	('substance-misuse',       'Parental substance misuse',    9, 'N5'),
	('other',                  'Other',                       10, 'N9');

-- cin_code: source of referral in the children-in-need census.
INSERT INTO source (code, name, sort, cin_code) VALUES
	('family',           'Individual: family member, relative or carer',  1, '1A'),
	('acquaintance',     'Individual: acquaintance',                      2, '1B'),
	('self',             'Individual: self',                              3, '1C'),
	('individual-other', 'Individual: other',                             4, '1D'),
	('school',           'Schools',                                       5, '2A'),
	('education',        'Education services',                            6, '2B'),
	('gp',               'Health: GP',                                    7, '3A'),
	('health-visitor',   'Health: health visitor',                        8, '3B'),
	('school-nurse',     'Health: school nurse',                          9, '3C'),
	('primary-health',   'Health: other primary health services',        10, '3D'),
	('hospital',         'Health: A&E or hospital',                      11, '3E'),
	('health-other',     'Health: other',                                12, '3F'),
	('housing',          'Housing',                                      13, '4'),
	('la-social-care',   'Local authority: social care',                 14, '5A'),
	('la-other',         'Local authority: other services',              15, '5B'),
	('police',           'Police',                                       16, '6'),
	('legal',            'Other legal agency',                           17, '7'),
	('other',            'Other',                                        18, '8'),
	('anonymous',        'Anonymous',                                    19, '9'),
	('unknown',          'Unknown',                                      20, '10');

INSERT INTO outcome (code, name, sort) VALUES
	('nfa',                  'No further action',                        1),
	('advice',               'Advice, information or signposting',       2),
	('early-help',           'Early help',                               3),
	('s17',                  'Child and family assessment (s17, child in need)', 4),
	('s47',                  'Strategy discussion and s47 enquiry',      5),
	('immediate-protection', 'Immediate protection',                     6);

INSERT INTO lawful_basis (code, name, sort, explanation) VALUES
	('public-task', 'Public task (UK GDPR 6(1)(e))', 1,
	 'The agency shares to carry out its public functions, such as safeguarding duties under the Children Acts.'),
	('legal-obligation', 'Legal obligation (UK GDPR 6(1)(c))', 2,
	 'A law requires the agency to share, for example a statutory duty to cooperate.'),
	('vital-interests', 'Vital interests (UK GDPR 6(1)(d))', 3,
	 'Sharing is needed to protect someone''s life, in an emergency.'),
	('legitimate-interests', 'Legitimate interests (UK GDPR 6(1)(f))', 4,
	 'Safeguarding a child is a recognised legitimate interest for bodies not acting as public authorities.'),
	('consent', 'Consent (UK GDPR 6(1)(a))', 5,
	 'The person gave clear consent.  Not needed, and not to be sought, where seeking it would put the child at risk.'),
	('safeguarding', 'Safeguarding children (DPA 2018 Sch 1 para 18)', 6,
	 'Special-category data may be shared without consent where consent cannot be given, cannot reasonably be obtained, or would prejudice safeguarding.');

INSERT INTO handling_code (code, name, sort, explanation, leaves_hub) VALUES
	('shareable',   'May be shared',               1, 'May be shared with partners for safeguarding.', 1),
	('conditional', 'Shared with conditions',      2, 'May be shared only under the conditions the owning agency states.', 1),
	('restricted',  'Restricted to the hub',       3, 'Visible in the hub only: never exported or passed outside it.', 0);

INSERT INTO consent_position (code, name, sort) VALUES
	('given',      'Consent given',      1),
	('refused',    'Consent refused',    2),
	('not-sought', 'Consent not sought', 3);

INSERT INTO check_status (code, name, sort, done) VALUES
	('requested',     'Requested',     1, 0),
	('in-progress',   'In progress',   2, 0),
	('complete',      'Complete',      3, 1),
	('nothing-known', 'Nothing known', 4, 1);

-- The life of a referral (domain.md): received, screened, checked by each
-- agency, decided (and signed off where the two-person rule is on), closed.
INSERT INTO referral_status (code, name, sort, open) VALUES
	('new',       'New: not yet picked up',      1, 1),
	('screening', 'Screening',                   2, 1),
	('checks',    'Agency checks under way',     3, 1),
	('decision',  'Ready for joint decision',    4, 1),
	('signoff',   'Awaiting sign-off',           5, 1),
	('decided',   'Decided',                     6, 0),
	('closed',    'Closed',                      7, 0);
