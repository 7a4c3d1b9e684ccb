"""Realistic generated complaints for demos and benchmarks, inserted in bulk.

Every person is invented: names are drawn from common-name lists, email addresses use the
example.org / example.com domains and phone numbers the fictional 555-01xx range. A demo
complaint's access code is not usable (its hash is of a code nobody holds).

Rows are written in bulk, one transaction per batch: Core executemany inserts, or COPY on
PostgreSQL (several times faster there). Each batch also appends one ``complaint.submitted``
event per complaint to the hash-chained audit log, under the chain-head lock like
``record_event``.

Distributions (approximate): 60% English / 40% Spanish; ~15% anonymous filers; 1-3
allegations (racial profiling the most common) and 1-2 agencies per complaint; incident dates
over the past three years, 80% to the day and the rest to the month; narratives of 200-1,500
characters. For full-text search benchmarks, rare terms appear in a known share of narratives
(independently of each other):

- "quinceañera": ~1% of complaints
- "mariachi": ~0.3%
- "zamboni": ~0.05%

while words such as "officer", "interpreter" / "intérprete" or "ICE" are common.

With ``assign=True`` (``flask demo generate --assign``), cases past "received" are assigned to
active staff already in the database: triage-side statuses (triage, awaiting information,
Inspector General review) to intake specialists and supervisors, casework statuses (component
referral onwards) to investigators and supervisors, and 80% of closed cases to whoever might have
closed them. Otherwise, or without staff accounts, every case stays unassigned.
"""

import json
import random
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import ARRAY, JSON, ColumnElement, String, Table, any_, insert, literal, select

from intake.accounts.models import User, UserRole
from intake.audit.models import AuditEvent
from intake.audit.services import event_hash, lock_chain_head
from intake.complaints import identifiers
from intake.complaints.models import (
    NARRATIVE_MAX_CHARS,
    Allegation,
    Complaint,
    ComplaintAgency,
    ComplaintProgramContext,
    Person,
    PriorComplaint,
)
from intake.complaints.status import STATUSES
from intake.extensions import db
from intake.queue.search import document_for, index_new
from intake.reference.categories import (
    AGENCIES,
    ALLEGATIONS,
    CHANNELS,
    CLOSURE_REASONS,
    CONTACT_METHODS,
    CUSTODY_ANSWERS,
    FILER_RELATIONSHIPS,
    LANGUAGES,
    PLACE_KINDS,
    PRIOR_COMPLAINT_BODIES,
    PROGRAM_CONTEXTS,
)
from intake.reference.models import County, State

RARE_TERMS = {"quinceanera": 0.01, "mariachi": 0.003, "zamboni": 0.0005}
NARRATIVE_MIN, NARRATIVE_MAX = 200, 1500
HISTORY_DAYS = 3 * 365
MAX_EXTRAS = 5  # generic sentences (fear, lost work, ...) added to a story, at most

# ---------------------------------------------------------------------------------------------
# Narrative and free-text templates.
#
# A "[section]" line starts a section; paragraphs (separated by blank lines) are its
# alternatives, wrapped lines joined with spaces. Scenario stories use "<name>.open", then the
# numbered stages "<name>.1", "<name>.2", ... (one alternative each, in order), then
# "<name>.end". Narratives are in the affected person's voice; someone filing for them says so
# in an "intro.<relationship>" paragraph first. Placeholders are filled per complaint.
# ---------------------------------------------------------------------------------------------

TEXT_EN = """
[intro.relative]
I am writing for my {rel_aff} {aff_first}, who asked me to file this because {aff_he} does not
read or write English well. This is what happened, in {aff_his} own words.

My {rel_aff}, {aff_name}, cannot file this complaint {aff_him}self, so I am doing it with
{aff_his} permission. {aff_He} told me the following.

I am filing for my {rel_aff} {aff_first}. I was not there, but {aff_he} told me everything the
same day and I wrote it down as {aff_he} said it.

[intro.attorney]
I am an attorney and I represent {aff_name}. My client described the incident to me as follows.

Our office represents {aff_name} in removal proceedings. We submit this complaint with our
client's consent. Our client states:

[intro.organization]
Our organization, {org}, is filing on behalf of {aff_name}, who came to our clinic for help.
{aff_He} told us:

{org} is a community organization. We are submitting this complaint for {aff_name}, a member of
our community, with {aff_his} consent. {aff_His} account follows.

[intro.other]
I am filing this for {aff_name}, a neighbor, with {aff_his} permission. {aff_He} told me:

I am a volunteer helping {aff_name}, who asked me to write this down for {aff_him}. In
{aff_his} words:

[traffic_stop.open]
{When}, {time}, I was driving {vehicle} on {road} {place} when a patrol car pulled in behind me
and turned on its lights.

{When} I was stopped on {road} {place} on my way home from my job in {job}. I had not done
anything wrong that I know of.

I was a passenger in my {relative}'s car {when}, {time}, when a deputy stopped us on {road}
{place}.

{When}, {time}, two officers stopped me while I was walking to the bus stop on {road} {place}.

[traffic_stop.1]
The officer never told me why I was stopped. He looked at my face and right away asked me where
I was from.

The deputy said a tail light was broken, but when I looked later, both lights were working
fine.

He said I was weaving, but I had not been drinking and he never gave me any test.

[traffic_stop.2]
He asked for my papers and whether I was "legal". When I showed my consular ID card he laughed
and said it was not a real ID.

He made me get out and searched {vehicle} without asking me. He did not find anything.

He kept me on the side of the road for more than {minutes} minutes while he made phone calls. I
heard him say "ICE" on the radio more than once.

I asked in Spanish what was happening and he said "in America we speak English" and laughed with
the other officer.

[traffic_stop.3]
Many cars were passing the whole time and nobody else was stopped. Everyone I saw stopped on that
road that week was Latino.

In the end he gave me a ticket for driving without a license and took me to the {jail} instead
of letting my {relative} come and pick up the car.

After about {minutes} minutes an ICE vehicle arrived and the officers handed me over to them,
without any warrant that I saw.

He let me go with only a warning, but he took a photo of my ID and of my face with his own
phone.

[traffic_stop.4]
Later, when I went to get my car from the tow yard, I had to pay {amount} and nobody
explained the charges.

I asked for his badge number and he told me to get back in the car or I would be arrested
too.

[traffic_stop.end]
I believe I was stopped only because of the color of my skin and because I look Hispanic.

This is the third time this year the same agency has stopped me on the same road, always with
no reason.

[jail_booking.open]
{When} I was arrested {place} on a minor charge, driving with a suspended license, and taken to
the {jail}.

{When} I was booked into the {jail} after an argument with a neighbor. The charge was dropped a
few days later.

{When} the police came to my work {place} about an old traffic warrant and took me to the
{jail}.

[jail_booking.1]
At booking they took my fingerprints and my photo. Nobody told me my fingerprints would be sent
to immigration.

An officer at the booking desk asked me where I was born and wrote it down. Nobody told me I had
the right to stay quiet.

[jail_booking.2]
The next day a deputy told me ICE had "a hit" on my fingerprints and I could not be released,
even though my {relative} was there to pay the bond.

I was supposed to go home that night, but they told me there was an immigration hold and kept
me.

[jail_booking.3]
I asked to call a lawyer and they said I could call after "immigration is done with you". I
never got that call.

They gave me a paper in English to sign. I do not read English well and nobody explained it. I
signed because they said I would go home faster.

[jail_booking.4]
In the jail I saw an officer with an ICE jacket walking through the booking area and talking
with the deputies.

My {relative} called the jail many times and they always said they could not give any
information.

[jail_booking.end]
The jail should not work as immigration. People in my community are now afraid to call the
police even when they are victims of a crime.

I was held for {days} days and then transferred to the {detention}, far from my family.

[detainer.open]
{When} I finished my sentence at the {jail}, but on my release date I was not released.

{When} the judge ordered my release on my own recognizance, but the {jail} did not let me out.

{When} my {relative} paid my bond at the {jail}, but I stayed locked up anyway.

[detainer.1]
The jail staff said there was an immigration detainer on me. I never saw any warrant signed by a
judge.

They told me ICE had asked them to keep me for 48 more hours. Nobody showed me any paper.

[detainer.2]
I stayed in the jail {days} more days after my release date, without a hearing and without
seeing a judge.

My lawyer called the jail several times and they only said it was "an ICE matter".

[detainer.3]
Finally ICE officers came at night and took me to the {detention}.

I lost my job because of the extra days in jail, and my children stayed with a neighbor the
whole time.

[detainer.4]
Nobody at the jail could tell me when I would be released or who had decided to keep me.

During those days I could not talk to my children because calls from the jail cost too much.

[detainer.end]
I want to know who authorized keeping me past my release date and why nobody gave me a chance
to see a judge.

Nobody should be held in jail without a judge's order. I want an investigation of this jail's
agreement with ICE.

[interpreter.open]
{When} I was called to speak with an officer at the {detention} about my case.

{When} I went to court {place} for a hearing in my case.

{When}, after I was arrested, an officer came to question me at the {jail}.

[interpreter.1]
I told them I speak {lang} and asked for an interpreter. The officer said no interpreter was
available that day.

I asked for an interpreter in {lang}. They brought a guard who said he spoke a little {lang},
but he did not understand most of what I said.

[interpreter.2]
They used another detainee to interpret for me, and afterwards he told everyone my private
information.

The officer kept talking in English and got angry when I did not answer quickly.

[interpreter.3]
At the end they gave me documents in English to sign. Later I learned I had signed for voluntary
departure.

Because I did not understand, I missed an important date and now my case is in trouble.

[interpreter.4]
I tried to explain that I was afraid to return to my country, but the officer wrote that I
had no fear.

When the hearing was over, I still did not know what the judge had decided.

[interpreter.end]
I have the right to understand what is happening in my own case. Everyone should have an
interpreter in their own language.

I ask that the interview be done again with an interpreter in {lang}.

[detention.open]
{When} I was transferred to the {detention}, where I am still held.

I am writing about what happened to me at the {detention} {when}.

{When} I was moved from the {jail} to the {detention}.

[detention.1]
I have diabetes and for {days} days they did not give me my insulin, even though I asked every
day.

I had strong pain in my stomach and asked for a doctor many times. They only gave me ibuprofen
and told me to drink water.

I fell in the shower and hurt my hand, and I waited {days} days for an X-ray.

[detention.2]
When I complained, an officer pushed me against the wall and put me alone in a cold room for
{days} days.

The guards insult us, call us names, and turn off the water in our unit as punishment.

The food is often spoiled and several people in my unit got sick.

[detention.3]
I filed a grievance with the facility but never got an answer. After that the guards started
searching my bed every night.

My family sent my medical records but the staff said they could not accept them.

[detention.4]
Other people in my unit have the same problems, and some are afraid to ask for a doctor.

When inspectors visited, the guards cleaned everything and moved the sick people to another
area.

[detention.end]
I am afraid something worse will happen if I stay here without care.

I ask that someone independent inspect this facility and talk to the people held here.

[port_of_entry.open]
{When} I was crossing at the port of entry {place} on my way back from visiting my family.

{When}, {time}, I was stopped at the Border Patrol checkpoint on {road} {place}.

{When} I arrived on an international flight and went through CBP inspection at the airport
{place}.

[port_of_entry.1]
I am a lawful permanent resident and I showed my green card, but the officer sent me to
secondary inspection without any explanation.

The agent asked everyone in the car about our religion and which mosque we go to.

[port_of_entry.2]
They took my phone and asked for my password. They kept it for more than {hours} hours and
looked at my photos and messages.

I was held in a small room for {hours} hours without water and was not allowed to call anyone.

[port_of_entry.3]
An officer told me to sign a paper giving up my residency, or else I would stay in detention for
months.

When they finally let me go, they kept copies of everything on my phone.

[port_of_entry.end]
I cross here every month for work and never had problems before. I believe I was treated this
way because of my name and my appearance.

I want to know what information they kept about me and why.

[courthouse.open]
{When} I went to the courthouse {place} to pay a traffic fine.

{When} I went to family court {place} for a custody hearing about my children.

[courthouse.1]
When I came out of the courtroom, two men in plain clothes stopped me in the hallway. They did
not show a badge at first.

In the hallway an officer asked to see my ID and then called someone on his phone.

[courthouse.2]
They said they were from ICE and handcuffed me in front of my children.

I asked if they had a warrant signed by a judge and they showed me a paper signed only by an ICE
officer.

[courthouse.3]
They did not let me call my lawyer, who was in the same building.

I missed my hearing because of the arrest, and the judge gave temporary custody to the other
parent.

[courthouse.end]
Courts should be safe. Now many people in my community are afraid to go to court, even as
victims or witnesses.

[home.open]
{When}, {time}, officers knocked on the door of my home {place}.

Very early in the morning {when}, several officers came to my apartment {place}.

[home.1]
They said they were "the police" and were looking for someone who does not live there. When I
opened the door they came in without permission.

Their vests said POLICE, but later I learned they were ICE officers.

[home.2]
They did not show any warrant. They searched the bedrooms and woke up my children.

They asked everyone in the house for papers, including my {relative}, who was visiting.

[home.3]
They took my {relative} with them even though the person they were looking for was not there.

One officer pointed a gun at my son, who is {kid_age} years old.

[home.end]
My children are still afraid and cry when someone knocks on the door.

I want to know why they entered my home without a warrant from a judge.

[airport.open]
{When} I was going through security at the airport {place} for a flight to visit my family.

{When}, {time}, I was at the TSA checkpoint at the airport {place}.

[airport.1]
A TSA officer pulled me aside and told me to remove my head covering in front of everyone.

The officer said the scanner showed an "anomaly" and did a pat-down that touched private parts
of my body in public.

[airport.2]
I asked for a private screening with an officer of my own gender and they refused.

Another officer made jokes about my name and asked if I was a terrorist.

[airport.3]
I missed my flight and had to buy a new ticket for {amount}.

They searched all my bags twice and left my things on the floor.

[airport.end]
This happens to me almost every time I fly, and I believe it is because of my religion and how I
look.

[uscis.open]
{When} I had my interview at the USCIS field office {place} for my green card.

{When} I went to my biometrics appointment at the USCIS office {place}.

[uscis.1]
The officer was rude from the start and said people from {country} always lie.

I use a wheelchair and there was no accessible entrance. A guard told me to wait outside for
{hours} hours.

[uscis.2]
The officer would not let my interpreter stay, even though my appointment letter allowed it.

The officer asked me questions about my religion that had nothing to do with my case.

[uscis.3]
My application was denied a few weeks later for reasons that are not true.

The officer told my {relative} to stop crying or leave the room.

[uscis.end]
I want my case reviewed by a different officer.

[extra]
Since then I have trouble sleeping and I am afraid to drive.

My children ask me every day if the police are going to take me away.

I missed {days} days of work and almost lost my job in {job}.

I have lived in this country for {years} years, I pay taxes, and I was never arrested before.

I did not complain sooner because I was afraid it would hurt my immigration case.

I have copies of some papers and can send them if needed.

A friend from church helped me write this complaint.

My {relative} saw part of what happened and can confirm it.

I never had problems with the police before, not even a parking ticket.

When I asked for the officer's name, he covered his name tag with his hand.

I called the agency to complain, but nobody ever called me back.

The lawyer I had then told me nothing could be done, but I do not think that is true.

Other people there were treated the same way, but they are afraid to complain.

[closing]
Please investigate what happened and make sure it does not happen to anyone else.

I am willing to talk with an investigator. Please contact me.

Thank you for reading my complaint.

I hope your office can help. I do not know where else to go.

[rare.quinceanera]
That night I was coming back from my niece's quinceañera, still in my good clothes.

A few days before, we had celebrated my daughter's quinceañera, and the photos from the party
were on the phone they took.

[rare.mariachi]
I play trumpet in a mariachi band, and the officer opened my instrument case without asking.

[rare.zamboni]
I work nights driving the zamboni at the ice rink, and I was still in my work uniform.

[outcome]
I want the officers to be disciplined and trained so this does not happen again.

I want an apology and I want my record corrected.

I want the agency to stop working with immigration in this way.

I want my property returned to me.

I want to be released so I can be with my family while my case continues.

I want an independent investigation and a written answer.

[officers]
Officer {officer}, badge {badge}.

Deputy {officer} (badge number {badge}) and a second deputy whose name I did not see.

Two officers. One was tall with a shaved head; the other had a beard and glasses.

A female officer named {officer} and an officer in a green uniform.

I could not read the names. The patrol car number was {badge}.

[witnesses]
My {relative} was with me and saw everything.

A woman at the gas station recorded part of it on her phone.

{wname}, who was held in the same unit.

My coworker {wname} was in the car.

[detail.racial_profiling]
He only stopped me after he looked at my face.

Everyone they stopped that day was Latino.

[detail.discrimination_national_origin]
The officer said people from my country are criminals.

[detail.discrimination_religion]
They made fun of my prayers and threw away my prayer rug.

[detail.discrimination_sex]
Only the women were searched this way.

[detail.discrimination_sogi]
The guards call me by the wrong name and make jokes about me being transgender.

[detail.discrimination_disability]
I am deaf and they never gave me a sign language interpreter.

[detail.language_access]
No interpreter in {lang}.

They used another detainee to interpret.

[detail.due_process_notice]
Nobody told me why I was being held.

[detail.due_process_counsel]
They did not let me call my lawyer.

[detail.due_process_overdetention]
Held {days} days past my release date.

[detail.due_process_coerced_signature]
They said I would stay locked up for months if I did not sign.

[detail.due_process_hearing]
I never saw a judge.

[detail.detention_medical]
No insulin for {days} days.

I asked for a doctor many times.

[detail.detention_force]
He pushed me against the wall.

[detail.detention_abuse]
They turn off the water as punishment.

[detail.retaliation]
After I complained, they moved me to solitary.

[detail.privacy]
They copied everything on my phone.

[accommodation_language]
Please send letters in {lang}. My {relative} reads English for me.

I need an interpreter for any interview.

[accommodation_disability]
I am deaf. Please contact me by email or text message, not by phone.

I use a wheelchair. Please hold any interview in an accessible place.

I have low vision. Please send letters in large print.
"""

TEXT_ES = """
[intro.relative]
Escribo por mi {rel_aff} {aff_first}, que me pidió presentar esta queja porque no lee ni escribe
bien. Esto es lo que pasó, con sus propias palabras.

Mi {rel_aff}, {aff_name}, no puede presentar esta queja, así que lo hago yo con su permiso. Me
contó lo siguiente.

Presento esta queja por mi {rel_aff} {aff_first}. Yo no estaba ahí, pero me contó todo ese mismo
día y lo escribí tal como lo dijo.

[intro.attorney]
Soy abogado y represento a {aff_name}. Mi cliente me describió lo ocurrido así.

Nuestra oficina representa a {aff_name} en su proceso de deportación. Presentamos esta queja con
el consentimiento de nuestro cliente, quien declara:

[intro.organization]
Nuestra organización, {org}, presenta esta queja en nombre de {aff_name}, quien vino a nuestra
clínica a pedir ayuda. Nos contó lo siguiente:

{org} es una organización comunitaria. Presentamos esta queja por {aff_name}, con su
consentimiento. Este es su relato.

[intro.other]
Presento esta queja por {aff_name}, con su permiso. Me contó lo siguiente:

Soy voluntario y ayudo a {aff_name}, que me pidió escribir esto. Con sus palabras:

[traffic_stop.open]
{When}, {time}, yo manejaba {vehicle} por {road} {place} cuando una patrulla se puso detrás de
mí y prendió las luces.

{When} me pararon en {road} {place} cuando regresaba de mi trabajo en {job}. No hice nada malo
que yo sepa.

{When}, {time}, yo iba de pasajer{o} en el carro de mi {relative} cuando un alguacil nos paró en
{road} {place}.

{When}, {time}, dos policías me detuvieron mientras caminaba a la parada del autobús en {road}
{place}.

[traffic_stop.1]
El oficial nunca me dijo por qué me paró. Me miró la cara y enseguida me preguntó de dónde era.

El alguacil dijo que tenía una luz trasera rota, pero después revisé y las dos luces
funcionaban bien.

Dijo que yo iba zigzagueando, pero yo no había tomado nada y nunca me hizo ninguna prueba.

[traffic_stop.2]
Me pidió mis papeles y me preguntó si yo era "legal". Cuando le mostré mi matrícula consular se
rió y dijo que no era una identificación de verdad.

Me hizo bajar y revisó {vehicle} sin pedirme permiso. No encontró nada.

Me tuvo a un lado de la carretera más de {minutes} minutos mientras hacía llamadas. Lo escuché
decir "ICE" por el radio varias veces.

Le pregunté en español qué pasaba y me dijo "en América se habla inglés" y se rió con el otro
oficial.

[traffic_stop.3]
Pasaban muchos carros todo el tiempo y a nadie más lo pararon. Todas las personas que vi
detenidas en esa carretera esa semana eran latinas.

Al final me dio una multa por manejar sin licencia y me llevó al {jail} en vez de dejar que mi
{relative} viniera por el carro.

Después de unos {minutes} minutos llegó una camioneta de ICE y los policías me entregaron, sin
ninguna orden que yo viera.

Me dejó ir solo con una advertencia, pero le tomó una foto a mi identificación y a mi cara con
su propio teléfono.

[traffic_stop.4]
Después, cuando fui por mi carro al corralón, tuve que pagar {amount} y nadie me explicó los
cobros.

Le pedí su número de placa y me dijo que me subiera al carro o también me iba a arrestar.

[traffic_stop.end]
Creo que me pararon solamente por el color de mi piel y porque parezco hispan{o}.

Es la tercera vez este año que la misma agencia me para en la misma carretera, siempre sin
ninguna razón.

[jail_booking.open]
{When} me arrestaron {place} por algo menor, manejar con la licencia suspendida, y me llevaron
al {jail}.

{When} me registraron en el {jail} después de una discusión con un vecino. El cargo lo retiraron
a los pocos días.

{When} la policía llegó a mi trabajo {place} por una multa vieja de tráfico y me llevaron al
{jail}.

[jail_booking.1]
Al registrarme me tomaron las huellas y una foto. Nadie me dijo que mis huellas se iban a mandar
a inmigración.

Un oficial en el registro me preguntó dónde nací y lo anotó. Nadie me dijo que tenía derecho a
quedarme callad{o}.

[jail_booking.2]
Al otro día un alguacil me dijo que ICE tenía "una coincidencia" con mis huellas y que no me
podían soltar, aunque mi {relative} estaba ahí para pagar la fianza.

Yo iba a salir esa misma noche, pero me dijeron que había una retención de inmigración y me
dejaron encerrad{o}.

[jail_booking.3]
Pedí llamar a un abogado y me dijeron que podía llamar "cuando inmigración termine contigo".
Nunca me dejaron hacer esa llamada.

Me dieron un papel en inglés para firmar. No leo bien el inglés y nadie me lo explicó. Firmé
porque me dijeron que así saldría más rápido.

[jail_booking.4]
En la cárcel vi a un oficial con chamarra de ICE caminando por el área de registro y hablando
con los alguaciles.

Mi {relative} llamó a la cárcel muchas veces y siempre le decían que no podían dar
información.

[jail_booking.end]
La cárcel no debería trabajar como inmigración. Ahora la gente de mi comunidad tiene miedo de
llamar a la policía aunque sea víctima de un delito.

Me tuvieron {days} días y luego me trasladaron al {detention}, lejos de mi familia.

[detainer.open]
{When} terminé mi sentencia en el {jail}, pero el día de mi salida no me soltaron.

{When} el juez ordenó que me soltaran bajo palabra, pero el {jail} no me dejó salir.

{When} mi {relative} pagó mi fianza en el {jail}, pero de todas formas me quedé encerrad{o}.

[detainer.1]
El personal de la cárcel dijo que yo tenía una orden de retención de inmigración. Nunca vi
ninguna orden firmada por un juez.

Me dijeron que ICE les pidió tenerme 48 horas más. Nadie me mostró ningún papel.

[detainer.2]
Me quedé en la cárcel {days} días más después de mi fecha de salida, sin audiencia y sin ver a
ningún juez.

Mi abogado llamó a la cárcel varias veces y solo le decían que era "un asunto de ICE".

[detainer.3]
Por fin unos oficiales de ICE llegaron de noche y me llevaron al {detention}.

Perdí mi trabajo por los días de más en la cárcel, y mis hijos se quedaron con una vecina todo
ese tiempo.

[detainer.4]
Nadie en la cárcel me podía decir cuándo iba a salir ni quién había decidido dejarme ahí.

En esos días no pude hablar con mis hijos porque las llamadas desde la cárcel cuestan
demasiado.

[detainer.end]
Quiero saber quién autorizó tenerme después de mi fecha de salida y por qué nadie me dio la
oportunidad de ver a un juez.

Nadie debe estar en la cárcel sin la orden de un juez. Pido que investiguen el acuerdo de esta
cárcel con ICE.

[interpreter.open]
{When} me llamaron para hablar con un oficial en el {detention} sobre mi caso.

{When} fui a la corte {place} para una audiencia de mi caso.

{When}, después de que me arrestaron, un oficial vino a interrogarme al {jail}.

[interpreter.1]
Les dije que hablo {lang} y pedí un intérprete. El oficial dijo que ese día no había intérprete.

Pedí un intérprete de {lang}. Trajeron a un guardia que decía hablar un poco de {lang}, pero
no entendía casi nada de lo que yo decía.

[interpreter.2]
Usaron a otro detenido como intérprete y después él le contó a todos mi información privada.

El oficial seguía hablando en inglés y se enojaba cuando yo no contestaba rápido.

[interpreter.3]
Al final me dieron documentos en inglés para firmar. Después supe que había firmado una salida
voluntaria.

Como no entendí, perdí una fecha importante y ahora mi caso tiene problemas.

[interpreter.4]
Traté de explicar que tenía miedo de regresar a mi país, pero el oficial escribió que yo no
tenía miedo.

Cuando terminó la audiencia, yo seguía sin saber qué había decidido el juez.

[interpreter.end]
Tengo derecho a entender lo que pasa en mi propio caso. Todos deberían tener un intérprete en su
propio idioma.

Pido que repitan la entrevista con un intérprete de {lang}.

[detention.open]
{When} me trasladaron al {detention}, donde sigo detenid{o}.

Escribo sobre lo que me pasó en el {detention} {when}.

{When} me cambiaron del {jail} al {detention}.

[detention.1]
Tengo diabetes y durante {days} días no me dieron mi insulina, aunque la pedí todos los días.

Tenía un dolor fuerte en el estómago y pedí ver a un doctor muchas veces. Solo me dieron
ibuprofeno y me dijeron que tomara agua.

Me caí en la regadera y me lastimé la mano, y esperé {days} días para una radiografía.

[detention.2]
Cuando me quejé, un oficial me empujó contra la pared y me encerró sol{o} en un cuarto frío
durante {days} días.

Los guardias nos insultan, nos ponen apodos y nos cortan el agua en la unidad como castigo.

La comida muchas veces está echada a perder y varias personas de mi unidad se enfermaron.

[detention.3]
Puse una queja en el centro pero nunca me contestaron. Después de eso los guardias empezaron a
revisar mi cama cada noche.

Mi familia mandó mis expedientes médicos pero el personal dijo que no los podía aceptar.

[detention.4]
Otras personas de mi unidad tienen los mismos problemas y algunas tienen miedo de pedir
doctor.

Cuando vinieron los inspectores, los guardias limpiaron todo y movieron a los enfermos a otra
área.

[detention.end]
Tengo miedo de que me pase algo peor si sigo aquí sin atención.

Pido que alguien independiente inspeccione este centro y hable con las personas detenidas.

[port_of_entry.open]
{When} cruzaba por el puerto de entrada {place} de regreso de visitar a mi familia.

{When}, {time}, me detuvieron en el retén de la Patrulla Fronteriza en {road} {place}.

{When} llegué en un vuelo internacional y pasé por la inspección de CBP en el aeropuerto
{place}.

[port_of_entry.1]
Soy residente permanente y mostré mi tarjeta verde, pero el oficial me mandó a inspección
secundaria sin ninguna explicación.

El agente nos preguntó a todos en el carro por nuestra religión y a qué iglesia vamos.

[port_of_entry.2]
Me quitaron el teléfono y me pidieron la contraseña. Lo tuvieron más de {hours} horas y vieron
mis fotos y mensajes.

Me tuvieron en un cuarto pequeño {hours} horas sin agua y no me dejaron llamar a nadie.

[port_of_entry.3]
Un oficial me dijo que firmara un papel renunciando a mi residencia, o si no me quedaría
detenid{o} por meses.

Cuando por fin me dejaron ir, se quedaron con copias de todo lo que había en mi teléfono.

[port_of_entry.end]
Cruzo por aquí cada mes por trabajo y nunca había tenido problemas. Creo que me trataron así
por mi nombre y mi apariencia.

Quiero saber qué información guardaron sobre mí y por qué.

[courthouse.open]
{When} fui a la corte {place} a pagar una multa de tráfico.

{When} fui a la corte familiar {place} para una audiencia sobre la custodia de mis hijos.

[courthouse.1]
Cuando salí de la sala, dos hombres vestidos de civil me pararon en el pasillo. Al principio no
mostraron ninguna placa.

En el pasillo un oficial me pidió una identificación y luego llamó a alguien por teléfono.

[courthouse.2]
Dijeron que eran de ICE y me esposaron enfrente de mis hijos.

Les pregunté si tenían una orden firmada por un juez y me enseñaron un papel firmado solo por un
oficial de ICE.

[courthouse.3]
No me dejaron llamar a mi abogado, que estaba en el mismo edificio.

Perdí mi audiencia por el arresto y el juez le dio la custodia temporal al otro padre.

[courthouse.end]
Las cortes deberían ser lugares seguros. Ahora mucha gente de mi comunidad tiene miedo de ir a
la corte, aunque sea como víctima o testigo.

[home.open]
{When}, {time}, unos oficiales tocaron la puerta de mi casa {place}.

Muy temprano en la mañana, {when}, varios oficiales llegaron a mi apartamento {place}.

[home.1]
Dijeron que eran "la policía" y que buscaban a alguien que no vive ahí. Cuando abrí la puerta
entraron sin permiso.

Sus chalecos decían POLICE, pero después supe que eran oficiales de ICE.

[home.2]
No mostraron ninguna orden. Revisaron los cuartos y despertaron a mis hijos.

Les pidieron papeles a todos en la casa, también a mi {relative}, que estaba de visita.

[home.3]
Se llevaron a mi {relative} aunque la persona que buscaban no estaba ahí.

Un oficial le apuntó con una pistola a mi hijo, que tiene {kid_age} años.

[home.end]
Mis hijos todavía tienen miedo y lloran cuando alguien toca la puerta.

Quiero saber por qué entraron a mi casa sin una orden de un juez.

[airport.open]
{When} pasaba por el control de seguridad del aeropuerto {place} para un vuelo a visitar a mi
familia.

{When}, {time}, estaba en el control de la TSA en el aeropuerto {place}.

[airport.1]
Un oficial de la TSA me apartó y me dijo que me quitara el velo enfrente de todos.

El oficial dijo que el escáner mostraba una "anomalía" y me hizo un cateo que tocó partes
íntimas de mi cuerpo en público.

[airport.2]
Pedí una revisión en privado con un oficial de mi mismo sexo y se negaron.

Otro oficial se burló de mi nombre y me preguntó si yo era terrorista.

[airport.3]
Perdí mi vuelo y tuve que comprar otro boleto por {amount}.

Revisaron todas mis maletas dos veces y dejaron mis cosas en el suelo.

[airport.end]
Esto me pasa casi cada vez que viajo en avión, y creo que es por mi religión y mi apariencia.

[uscis.open]
{When} tuve mi entrevista en la oficina de USCIS {place} para mi tarjeta verde.

{When} fui a mi cita de huellas (biométricos) en la oficina de USCIS {place}.

[uscis.1]
El oficial fue grosero desde el principio y dijo que la gente de {country} siempre miente.

Uso silla de ruedas y no había entrada accesible. Un guardia me dijo que esperara afuera
{hours} horas.

[uscis.2]
El oficial no dejó que se quedara mi intérprete, aunque mi carta de cita lo permitía.

El oficial me hizo preguntas sobre mi religión que no tenían nada que ver con mi caso.

[uscis.3]
Unas semanas después negaron mi solicitud por razones que no son ciertas.

El oficial le dijo a mi {relative} que dejara de llorar o que saliera del cuarto.

[uscis.end]
Quiero que otro oficial revise mi caso.

[extra]
Desde entonces no puedo dormir bien y tengo miedo de manejar.

Mis hijos me preguntan todos los días si la policía me va a llevar.

Perdí {days} días de trabajo y casi pierdo mi empleo en {job}.

Llevo {years} años viviendo en este país, pago mis impuestos y nunca me habían arrestado.

No me quejé antes porque tenía miedo de que afectara mi caso de inmigración.

Tengo copias de algunos papeles y las puedo mandar si hace falta.

Una amiga de la iglesia me ayudó a escribir esta queja.

Mi {relative} vio parte de lo que pasó y lo puede confirmar.

Nunca había tenido problemas con la policía, ni siquiera una multa de estacionamiento.

Cuando le pregunté su nombre al oficial, se tapó el gafete con la mano.

Llamé a la agencia para quejarme, pero nadie me regresó la llamada.

El abogado que tenía entonces me dijo que no se podía hacer nada, pero no creo que sea cierto.

A otras personas que estaban ahí las trataron igual, pero tienen miedo de quejarse.

[closing]
Por favor investiguen lo que pasó y asegúrense de que no le pase a nadie más.

Estoy dispuest{o} a hablar con un investigador. Por favor comuníquense conmigo.

Gracias por leer mi queja.

Espero que su oficina me pueda ayudar. No sé a dónde más acudir.

[rare.quinceanera]
Esa noche yo regresaba de la quinceañera de mi sobrina, todavía con mi ropa buena.

Unos días antes habíamos celebrado la quinceañera de mi hija, y las fotos de la fiesta estaban
en el teléfono que me quitaron.

[rare.mariachi]
Toco la trompeta en un grupo de mariachi, y el oficial abrió el estuche de mi instrumento sin
pedir permiso.

[rare.zamboni]
Trabajo de noche manejando la zamboni en la pista de hielo, y todavía traía mi uniforme.

[outcome]
Quiero que castiguen a los oficiales y que los capaciten para que esto no vuelva a pasar.

Quiero una disculpa y que corrijan mi expediente.

Quiero que la agencia deje de colaborar con inmigración de esta manera.

Quiero que me devuelvan mis cosas.

Quiero que me dejen salir para estar con mi familia mientras sigue mi caso.

Quiero una investigación independiente y una respuesta por escrito.

[officers]
Oficial {officer}, placa {badge}.

El alguacil {officer} (placa número {badge}) y otro alguacil cuyo nombre no vi.

Dos oficiales. Uno alto con la cabeza rapada; el otro con barba y lentes.

Una oficial de apellido {officer} y un oficial de uniforme verde.

No pude leer los nombres. El número de la patrulla era {badge}.

[witnesses]
Mi {relative} estaba conmigo y vio todo.

Una señora en la gasolinera grabó una parte con su teléfono.

{wname}, que estaba en la misma unidad.

Mi compañero de trabajo {wname} iba en el carro.

[detail.racial_profiling]
Me paró solo después de verme la cara.

Todas las personas que pararon ese día eran latinas.

[detail.discrimination_national_origin]
El oficial dijo que la gente de mi país es criminal.

[detail.discrimination_religion]
Se burlaron de mis oraciones y tiraron mi tapete de rezar.

[detail.discrimination_sex]
Solo a las mujeres las revisaron así.

[detail.discrimination_sogi]
Los guardias me llaman con el nombre equivocado y se burlan porque soy transgénero.

[detail.discrimination_disability]
Soy sord{o} y nunca me dieron un intérprete de lengua de señas.

[detail.language_access]
No hubo intérprete de {lang}.

Usaron a otro detenido como intérprete.

[detail.due_process_notice]
Nadie me dijo por qué me tenían detenid{o}.

[detail.due_process_counsel]
No me dejaron llamar a mi abogado.

[detail.due_process_overdetention]
Me tuvieron {days} días después de mi fecha de salida.

[detail.due_process_coerced_signature]
Me dijeron que me quedaría encerrad{o} por meses si no firmaba.

[detail.due_process_hearing]
Nunca vi a un juez.

[detail.detention_medical]
Sin insulina durante {days} días.

Pedí ver a un doctor muchas veces.

[detail.detention_force]
Me empujó contra la pared.

[detail.detention_abuse]
Nos cortan el agua como castigo.

[detail.retaliation]
Después de quejarme me mandaron a aislamiento.

[detail.privacy]
Copiaron todo lo que había en mi teléfono.

[accommodation_language]
Por favor mándenme las cartas en {lang}. Mi {relative} me lee lo que está en inglés.

Necesito un intérprete para cualquier entrevista.

[accommodation_disability]
Soy sord{o}. Por favor comuníquense por correo electrónico o mensaje de texto, no por teléfono.

Uso silla de ruedas. Por favor hagan cualquier entrevista en un lugar accesible.

Veo muy poco. Por favor manden las cartas con letra grande.
"""


def _parse_sections(text: str) -> dict[str, tuple[str, ...]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines and lines[0].startswith("[") and lines[0].endswith("]"):
            current = sections.setdefault(lines[0][1:-1], [])
            lines = lines[1:]
        if lines:
            if current is None:
                raise ValueError("template text must start with a [section]")
            current.append(" ".join(lines))
    return {name: tuple(items) for name, items in sections.items()}


TEXTS = {"en": _parse_sections(TEXT_EN), "es": _parse_sections(TEXT_ES)}

# ---------------------------------------------------------------------------------------------
# Scenarios: what kind of incident, and the codes that go with it.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: int
    place_kinds: tuple[tuple[str, int], ...]
    place_other: tuple[str, ...]
    agencies: tuple[tuple[str, int], ...]
    contexts: tuple[tuple[str, int], ...]
    allegations: tuple[tuple[str, int], ...]
    custody: tuple[int, int, int, int]  # weights: yes, no, unknown, not answered
    border: bool = False  # happens at the border (or an international airport)


SCENARIOS = (
    Scenario(
        "traffic_stop",
        28,
        (("street_stop", 1),),
        (),
        (("local_police", 8), ("ice", 2), ("cbp", 1), ("not_sure", 1)),
        (("stop", 8), ("287g", 2), ("not_sure", 1)),
        (
            ("racial_profiling", 12),
            ("discrimination_national_origin", 3),
            ("language_access", 2),
            ("privacy", 1),
            ("detention_force", 1),
            ("due_process_notice", 1),
        ),
        (1, 8, 1, 4),
    ),
    Scenario(
        "jail_booking",
        18,
        (("jail", 1),),
        (),
        (("local_police", 6), ("ice", 4)),
        (("jail_screening", 8), ("detainer", 4), ("287g", 2)),
        (
            ("racial_profiling", 5),
            ("due_process_notice", 4),
            ("due_process_counsel", 3),
            ("language_access", 3),
            ("due_process_coerced_signature", 2),
            ("discrimination_national_origin", 2),
        ),
        (4, 4, 1, 3),
    ),
    Scenario(
        "detainer",
        12,
        (("jail", 1),),
        (),
        (("local_police", 5), ("ice", 5)),
        (("detainer", 8), ("287g", 3), ("jail_screening", 2)),
        (
            ("due_process_overdetention", 8),
            ("due_process_hearing", 4),
            ("due_process_notice", 3),
            ("racial_profiling", 2),
            ("due_process_counsel", 2),
        ),
        (5, 3, 1, 3),
    ),
    Scenario(
        "interpreter",
        10,
        (("detention", 3), ("courthouse", 2), ("jail", 3)),
        (),
        (("ice", 5), ("local_police", 3), ("uscis", 1), ("not_sure", 1)),
        (("other", 1), ("not_sure", 2), ("detainer", 1)),
        (
            ("language_access", 12),
            ("due_process_coerced_signature", 3),
            ("discrimination_national_origin", 2),
            ("due_process_notice", 2),
            ("racial_profiling", 1),
        ),
        (5, 3, 1, 3),
    ),
    Scenario(
        "detention",
        12,
        (("detention", 1),),
        (),
        (("ice", 9), ("other_dhs", 1), ("not_sure", 1)),
        (("not_sure", 1), ("other", 1)),
        (
            ("detention_medical", 8),
            ("detention_abuse", 5),
            ("detention_force", 4),
            ("retaliation", 2),
            ("discrimination_religion", 1),
            ("discrimination_disability", 1),
            ("discrimination_sogi", 1),
            ("detention_sexual_abuse", 1),
            ("racial_profiling", 1),
        ),
        (8, 1, 1, 2),
    ),
    Scenario(
        "port_of_entry",
        7,
        (("port_of_entry", 1),),
        (),
        (("cbp", 9), ("other_dhs", 1)),
        (("other", 1), ("not_sure", 1)),
        (
            ("racial_profiling", 5),
            ("privacy", 4),
            ("discrimination_religion", 3),
            ("due_process_coerced_signature", 2),
            ("discrimination_national_origin", 2),
        ),
        (1, 8, 1, 3),
        border=True,
    ),
    Scenario(
        "courthouse",
        4,
        (("courthouse", 1),),
        (),
        (("ice", 7), ("local_police", 3)),
        (("detainer", 2), ("other", 1), ("not_sure", 1)),
        (
            ("due_process_counsel", 5),
            ("racial_profiling", 3),
            ("retaliation", 2),
            ("due_process_notice", 2),
        ),
        (4, 4, 1, 3),
    ),
    Scenario(
        "home",
        4,
        (("home", 1),),
        (),
        (("ice", 7), ("local_police", 2), ("not_sure", 2)),
        (("other", 1), ("not_sure", 2)),
        (
            ("privacy", 5),
            ("racial_profiling", 3),
            ("detention_force", 2),
            ("due_process_notice", 2),
        ),
        (2, 6, 1, 3),
    ),
    Scenario(
        "airport",
        3,
        (("other", 1),),
        ("Airport security checkpoint", "Airport, TSA screening area"),
        (("tsa", 9), ("cbp", 1)),
        (("other", 1),),
        (
            ("discrimination_religion", 6),
            ("discrimination_sex", 3),
            ("privacy", 3),
            ("discrimination_sogi", 2),
            ("racial_profiling", 3),
        ),
        (0, 8, 0, 3),
    ),
    Scenario(
        "uscis",
        2,
        (("other", 1),),
        ("USCIS field office", "USCIS application support center"),
        (("uscis", 1),),
        (("other", 1),),
        (
            ("discrimination_national_origin", 5),
            ("discrimination_disability", 3),
            ("language_access", 3),
            ("discrimination_religion", 2),
            ("other", 1),
        ),
        (0, 8, 0, 3),
    ),
)

# Added now and then to any complaint, on top of the scenario's own allegations.
EXTRA_ALLEGATIONS = (
    ("retaliation", 2),
    ("privacy", 2),
    ("other", 2),
    ("discrimination_national_origin", 2),
    ("racial_profiling", 3),
    ("language_access", 2),
    ("due_process_notice", 1),
)

STATUS_WEIGHTS_BY_AGE = (  # (max age in days, weights)
    (30, {"received": 70, "triage": 25, "awaiting_information": 5}),
    (
        180,
        {
            "received": 18,
            "triage": 30,
            "awaiting_information": 8,
            "oig_review": 6,
            "component_referral": 9,
            "investigation": 25,
            "closed": 4,
        },
    ),
    (
        HISTORY_DAYS + 400,
        {
            "received": 12,
            "triage": 12,
            "awaiting_information": 4,
            "oig_review": 4,
            "component_referral": 7,
            "investigation": 22,
            "findings_review": 5,
            "recommendations_issued": 6,
            "closed": 28,
        },
    ),
)
CHANNEL_WEIGHTS = {"web": 82, "email": 7, "mail": 5, "phone": 4, "fax": 2}
RELATIONSHIP_WEIGHTS = {"self": 55, "relative": 25, "attorney": 9, "organization": 7, "other": 4}
ANONYMOUS_BY_RELATIONSHIP = {
    "self": 0.17,
    "relative": 0.16,
    "attorney": 0.05,
    "organization": 0.08,
    "other": 0.16,
}
PRIOR_BODY_WEIGHTS = {"inspector_general": 5, "court": 3, "other_agency": 4}

# Incident location: these states carry most complaints; the rest share the remainder.
STATE_WEIGHTS = {"TX": 20, "CA": 17, "AZ": 9, "FL": 8, "NY": 7, "IL": 5, "GA": 5}
OTHER_STATES_WEIGHT = 29
BORDER_STATE_WEIGHTS = {"TX": 45, "CA": 25, "AZ": 20, "FL": 5, "NY": 5}  # ports of entry
HOT_COUNTIES = {
    "TX": {
        "48201": ("Houston", "Pasadena", "Baytown"),
        "48113": ("Dallas", "Irving", "Garland"),
        "48029": ("San Antonio",),
        "48215": ("McAllen", "Edinburg", "Pharr", "Weslaco"),
        "48141": ("El Paso", "Socorro"),
        "48453": ("Austin", "Pflugerville"),
        "48479": ("Laredo",),
        "48061": ("Brownsville", "Harlingen"),
    },
    "CA": {
        "06037": ("Los Angeles", "Long Beach", "Pomona", "El Monte"),
        "06073": ("San Diego", "Chula Vista", "Escondido"),
        "06059": ("Santa Ana", "Anaheim"),
        "06065": ("Riverside", "Indio", "Coachella"),
        "06071": ("San Bernardino", "Ontario"),
        "06025": ("El Centro", "Calexico"),
        "06085": ("San Jose",),
        "06019": ("Fresno",),
    },
    "AZ": {
        "04013": ("Phoenix", "Mesa", "Glendale"),
        "04019": ("Tucson",),
        "04027": ("Yuma",),
        "04023": ("Nogales",),
    },
    "FL": {
        "12086": ("Miami", "Hialeah", "Homestead"),
        "12011": ("Fort Lauderdale", "Hollywood"),
        "12099": ("West Palm Beach", "Lake Worth Beach"),
        "12057": ("Tampa",),
        "12095": ("Orlando",),
    },
    "NY": {
        "36081": ("Queens",),
        "36047": ("Brooklyn",),
        "36005": ("Bronx",),
        "36061": ("New York",),
        "36103": ("Brentwood", "Riverhead"),
        "36119": ("Yonkers", "Port Chester"),
    },
    "IL": {
        "17031": ("Chicago", "Cicero", "Berwyn"),
        "17043": ("Aurora", "Naperville"),
        "17097": ("Waukegan",),
        "17089": ("Elgin",),
    },
    "GA": {
        "13135": ("Lawrenceville", "Norcross"),
        "13121": ("Atlanta",),
        "13067": ("Marietta",),
        "13089": ("Decatur",),
        "13139": ("Gainesville",),
    },
}
GENERIC_TOWNS = (
    "Springfield",
    "Franklin",
    "Greenville",
    "Fairview",
    "Madison",
    "Clinton",
    "Salem",
    "Georgetown",
    "Riverside",
    "Centerville",
    "Marion",
    "Oxford",
)
AREA_CODES = {
    "TX": ("210", "214", "512", "713", "832", "915", "956"),
    "CA": ("213", "310", "619", "714", "909", "951", "408"),
    "AZ": ("480", "520", "602", "928"),
    "FL": ("305", "407", "786", "813", "954"),
    "NY": ("212", "347", "718", "917", "631"),
    "IL": ("312", "773", "847", "630"),
    "GA": ("404", "470", "678", "770"),
}
OTHER_AREA_CODES = ("202", "303", "503", "615", "702", "919", "206", "505", "801", "617")
ZIP_PREFIXES = {
    "TX": (75, 79),
    "CA": (90, 96),
    "AZ": (85, 86),
    "FL": (32, 34),
    "NY": (10, 14),
    "IL": (60, 62),
    "GA": (30, 31),
}

# ---------------------------------------------------------------------------------------------
# People.
# ---------------------------------------------------------------------------------------------

NAME_GROUPS = {
    "hispanic": (
        (
            "José",
            "Juan",
            "Luis",
            "Carlos",
            "Jorge",
            "Miguel",
            "Jesús",
            "Francisco",
            "Antonio",
            "Alejandro",
            "Manuel",
            "Pedro",
            "Ricardo",
            "Fernando",
            "Javier",
            "Roberto",
            "Mario",
            "Eduardo",
            "Óscar",
            "Raúl",
            "Sergio",
            "Andrés",
            "Héctor",
            "Rafael",
            "Wilmer",
            "Brayan",
            "Kevin",
            "Edwin",
            "Nelson",
            "Santos",
            "Cristian",
            "Marvin",
            "Elmer",
            "Yeferson",
        ),
        (
            "María",
            "Guadalupe",
            "Juana",
            "Rosa",
            "Ana",
            "Carmen",
            "Verónica",
            "Leticia",
            "Patricia",
            "Gabriela",
            "Yesenia",
            "Alejandra",
            "Lucía",
            "Sofía",
            "Valeria",
            "Daniela",
            "Karla",
            "Marisol",
            "Blanca",
            "Silvia",
            "Claudia",
            "Mónica",
            "Norma",
            "Yolanda",
            "Esperanza",
            "Dulce",
            "Ximena",
            "Fernanda",
            "Brenda",
            "Glenda",
            "Reina",
            "Wendy",
        ),
        (
            "García",
            "Hernández",
            "Martínez",
            "López",
            "González",
            "Rodríguez",
            "Pérez",
            "Sánchez",
            "Ramírez",
            "Flores",
            "Cruz",
            "Gómez",
            "Morales",
            "Vásquez",
            "Reyes",
            "Jiménez",
            "Torres",
            "Díaz",
            "Gutiérrez",
            "Ruiz",
            "Mendoza",
            "Aguilar",
            "Ortiz",
            "Moreno",
            "Castillo",
            "Romero",
            "Álvarez",
            "Méndez",
            "Chávez",
            "Rivera",
            "Juárez",
            "Ramos",
            "Domínguez",
            "Herrera",
            "Medina",
            "Castro",
            "Vargas",
            "Guzmán",
            "Velásquez",
            "Contreras",
            "Salazar",
            "Luna",
            "Ortega",
            "Estrada",
            "Bautista",
            "Cortés",
            "Soto",
            "Alvarado",
            "Espinoza",
            "Ávila",
            "Ríos",
            "Orellana",
            "Escobar",
            "Mejía",
            "Portillo",
            "Xol",
            "Tzoc",
            "Pop",
        ),
    ),
    "anglo": (
        ("James", "Michael", "Robert", "John", "David", "William", "Daniel", "Matthew"),
        ("Mary", "Jennifer", "Linda", "Sarah", "Emily", "Jessica", "Ashley", "Megan"),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Jackson",
            "White",
            "Harris",
            "Thompson",
        ),
    ),
    "haitian": (
        ("Jean", "Pierre", "Jean-Baptiste", "Louis", "Wilner", "Frantz", "Emmanuel"),
        ("Marie", "Nadège", "Roseline", "Mirlande", "Fabienne", "Guerline"),
        ("Joseph", "Charles", "Baptiste", "Dorvil", "Fils-Aimé", "Pierre-Louis", "Étienne"),
    ),
    "arabic": (
        ("Mohammed", "Ahmed", "Omar", "Yusuf", "Khalid", "Hassan", "Abdirahman"),
        ("Fatima", "Aisha", "Layla", "Mariam", "Amina", "Nour", "Hodan"),
        ("Hassan", "Ali", "Ibrahim", "Abdullah", "Haddad", "Nasser", "Mohamud", "Warsame"),
    ),
    "south_asian": (
        ("Arjun", "Rajesh", "Harpreet", "Gurpreet", "Imran", "Sandeep"),
        ("Priya", "Sunita", "Manpreet", "Anjali", "Farzana", "Deepa"),
        ("Singh", "Patel", "Kaur", "Sharma", "Gill", "Khan", "Rahman", "Thapa"),
    ),
    "east_asian": (
        ("Minh", "Wei", "Jun", "Tuan", "Jose Mari", "Hao"),
        ("Linh", "Mei", "Anh", "Xiu", "Maricel", "Thuy"),
        ("Nguyen", "Tran", "Le", "Pham", "Chen", "Zhang", "Li", "Santos", "Reyes", "Dela Cruz"),
    ),
}
GROUP_WEIGHTS = {
    "en": {
        "hispanic": 50,
        "anglo": 18,
        "haitian": 9,
        "arabic": 8,
        "south_asian": 8,
        "east_asian": 7,
    },
    "es": {"hispanic": 100},
}
COUNTRIES = {  # group -> ((code, weight), ...)
    "hispanic": (
        ("MX", 40),
        ("GT", 13),
        ("HN", 11),
        ("SV", 9),
        ("VE", 6),
        ("US", 6),
        ("CU", 3),
        ("CO", 3),
        ("EC", 3),
        ("NI", 3),
        ("DO", 2),
        ("PE", 1),
    ),
    "anglo": (("US", 10), ("CA", 1), ("GB", 1)),
    "haitian": (("HT", 9), ("US", 2)),
    "arabic": (("SO", 3), ("YE", 2), ("SY", 2), ("EG", 1), ("IQ", 1), ("US", 2)),
    "south_asian": (("IN", 6), ("PK", 2), ("BD", 2), ("NP", 1), ("US", 1)),
    "east_asian": (("VN", 3), ("CN", 3), ("PH", 3), ("US", 1)),
}
DEFAULT_FOREIGN_COUNTRY = {
    "hispanic": "MX",
    "anglo": "MX",
    "haitian": "HT",
    "arabic": "SO",
    "south_asian": "IN",
    "east_asian": "CN",
}
COUNTRY_NAMES = {
    "MX": ("Mexico", "México"),
    "GT": ("Guatemala", "Guatemala"),
    "HN": ("Honduras", "Honduras"),
    "SV": ("El Salvador", "El Salvador"),
    "VE": ("Venezuela", "Venezuela"),
    "CU": ("Cuba", "Cuba"),
    "CO": ("Colombia", "Colombia"),
    "EC": ("Ecuador", "Ecuador"),
    "NI": ("Nicaragua", "Nicaragua"),
    "DO": ("the Dominican Republic", "República Dominicana"),
    "PE": ("Peru", "Perú"),
    "HT": ("Haiti", "Haití"),
    "SO": ("Somalia", "Somalia"),
    "YE": ("Yemen", "Yemen"),
    "SY": ("Syria", "Siria"),
    "EG": ("Egypt", "Egipto"),
    "IQ": ("Iraq", "Irak"),
    "IN": ("India", "India"),
    "PK": ("Pakistan", "Pakistán"),
    "BD": ("Bangladesh", "Bangladés"),
    "NP": ("Nepal", "Nepal"),
    "VN": ("Vietnam", "Vietnam"),
    "CN": ("China", "China"),
    "PH": ("the Philippines", "Filipinas"),
    "US": ("the United States", "Estados Unidos"),
    "CA": ("Canada", "Canadá"),
    "GB": ("the United Kingdom", "Reino Unido"),
}
SPOKEN_LANGUAGES = {  # group -> ((English name, Spanish name, weight), ...); first is default
    "hispanic": (
        ("Spanish", "español", 80),
        ("K'iche'", "k'iche'", 6),
        ("Mam", "mam", 5),
        ("Q'anjob'al", "q'anjob'al", 3),
        ("Mixtec", "mixteco", 3),
        ("English", "inglés", 3),
    ),
    "anglo": (("English", "inglés", 1),),
    "haitian": (("Haitian Creole", "criollo haitiano", 9), ("French", "francés", 1)),
    "arabic": (("Arabic", "árabe", 6), ("Somali", "somalí", 4)),
    "south_asian": (
        ("Punjabi", "punyabí", 4),
        ("Hindi", "hindi", 3),
        ("Bengali", "bengalí", 2),
        ("Nepali", "nepalí", 1),
    ),
    "east_asian": (
        ("Vietnamese", "vietnamita", 3),
        ("Mandarin", "mandarín", 3),
        ("Tagalog", "tagalo", 2),
        ("Cantonese", "cantonés", 1),
    ),
}
RELATIVES = {
    "en": ("wife", "husband", "brother", "sister", "cousin", "son", "daughter", "uncle", "mother"),
    "es": ("esposa", "esposo", "hermano", "hermana", "primo", "hijo", "hija", "tío", "mamá"),
}
AFFECTED_RELATIONS = {  # (male, female) forms of "my ___"
    "en": (
        ("brother", "husband", "son", "father", "cousin", "nephew", "friend"),
        ("sister", "wife", "daughter", "mother", "cousin", "niece", "friend"),
    ),
    "es": (
        ("hermano", "esposo", "hijo", "papá", "primo", "sobrino", "amigo"),
        ("hermana", "esposa", "hija", "mamá", "prima", "sobrina", "amiga"),
    ),
}
ORGANIZATIONS = (
    "Frontera Legal Aid Project",
    "Valley Immigrant Justice Center",
    "Desert Rights Clinic",
    "Coalición Comunitaria del Sur",
    "Lakeside Refugee Services",
    "Gulf Coast Workers Center",
    "Queens Community Legal Collaborative",
    "Centro Comunitario Esperanza",
    "Mountain West Immigrant Defense",
    "Piedmont Immigrant Rights Network",
)
LAW_FIRMS = (
    "Law Office of {surname}",
    "{surname} & Blake LLP",
    "{surname} Immigration Law",
    "{surname} and Associates",
)
DETENTION_CENTERS = (
    "Lone Star Processing Center",
    "Desert Sky Detention Center",
    "Gulf Coast Processing Center",
    "Sierra Vista Detention Facility",
    "Red River Correctional Center",
    "Canyon Ridge Detention Center",
    "Bayou Service Processing Center",
    "High Plains Detention Facility",
    "Great Lakes Processing Center",
    "Hudson Valley Correctional Facility",
)
OTHER_DHS_NAMES = (
    "Homeland Security Investigations (HSI)",
    "Federal Protective Service",
    "U.S. Coast Guard",
    "Contract security company at the facility",
)
PROGRAM_OTHER = (
    "Questioned at the probation office",
    "Workplace inspection",
    "Checkpoint inside the bus station",
    "Check-in appointment with ICE",
)
STREETS = (
    "Main St",
    "Oak Ave",
    "Elm St",
    "Calle Ocho",
    "W 26th St",
    "Bissonnet St",
    "MLK Jr Blvd",
    "N Broadway",
    "Pecan Dr",
    "Mission Rd",
    "S Central Ave",
    "Lincoln Ave",
    "Cedar Ln",
    "Garfield Ave",
)
ROADS = {
    "en": (
        "Highway 59",
        "I-35",
        "I-10",
        "US 83",
        "FM 1960",
        "Main Street",
        "Bellaire Boulevard",
        "Route 9",
        "County Road 12",
        "Highway 99",
        "Farm Road 495",
        "International Boulevard",
    ),
    "es": (
        "la carretera 59",
        "la I-35",
        "la I-10",
        "la carretera 83",
        "la FM 1960",
        "la calle Main",
        "el bulevar Bellaire",
        "la ruta 9",
        "el camino del condado 12",
        "la carretera 99",
        "el bulevar International",
    ),
}
VEHICLES = {
    "en": ("my car", "my pickup", "my work van", "my old truck", "my wife's car"),
    "es": (
        "mi carro",
        "mi troca",
        "la camioneta del trabajo",
        "mi camioneta",
        "el carro de mi esposa",
    ),
}
JOBS = {
    "en": (
        "construction",
        "landscaping",
        "a restaurant kitchen",
        "a meat packing plant",
        "cleaning offices",
        "roofing",
        "a dairy farm",
        "home health care",
        "a warehouse",
    ),
    "es": (
        "la construcción",
        "la jardinería",
        "la cocina de un restaurante",
        "una empacadora de carne",
        "la limpieza de oficinas",
        "los techos",
        "un establo",
        "el cuidado de ancianos",
        "una bodega",
    ),
}
TIMES = {
    "en": (
        "around {h} at night",
        "around {h} in the morning",
        "in the afternoon",
        "early in the morning",
        "late at night",
        "around {h} in the evening",
    ),
    "es": (
        "como a las {h} de la noche",
        "como a las {h} de la mañana",
        "en la tarde",
        "muy temprano",
        "ya tarde en la noche",
        "como a las {h} de la tarde",
    ),
}
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
EMAIL_DOMAINS = ("example.org", "example.com")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum())).lower()


class _Choice:
    """A weighted choice over fixed items, with the cumulative weights computed once."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weighted):
        pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


class _FastRandom(random.Random):
    """random.Random with cheaper choice() and randint(): one random() call each.

    Still fully determined by the seed; the tiny bias of scaling a float does not matter here.
    """

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def _weighted_sample(rng: random.Random, weighted, k: int, exclude=()) -> list:
    """Up to k distinct items, drawn by weight without replacement."""
    pool = [(item, weight) for item, weight in weighted if item not in exclude]
    chosen = []
    while pool and len(chosen) < k:
        point = rng.random() * sum(weight for _, weight in pool)
        for index, (item, weight) in enumerate(pool):
            point -= weight
            if point < 0 or index == len(pool) - 1:
                chosen.append(item)
                break
        pool = [(i, w) for i, w in pool if i != chosen[-1]]  # pools may list an item twice
    return chosen


def _check_vocabularies() -> None:
    """Fail loudly if a vocabulary changed under the generator's hard-coded codes."""
    problems = []

    def need(codes, vocabulary, what):
        unknown = set(codes) - set(vocabulary)
        if unknown:
            problems.append(f"{what}: {sorted(unknown)}")

    for scenario in SCENARIOS:
        need([c for c, _ in scenario.place_kinds], PLACE_KINDS, "place kinds")
        need([c for c, _ in scenario.agencies], AGENCIES, "agencies")
        need([c for c, _ in scenario.contexts], PROGRAM_CONTEXTS, "program contexts")
        need([c for c, _ in scenario.allegations], ALLEGATIONS, "allegations")
    need([c for c, _ in EXTRA_ALLEGATIONS], ALLEGATIONS, "allegations")
    for _, weights in STATUS_WEIGHTS_BY_AGE:
        need(weights, STATUSES, "statuses")
    need(CHANNEL_WEIGHTS, CHANNELS, "channels")
    need(RELATIONSHIP_WEIGHTS, FILER_RELATIONSHIPS, "filer relationships")
    need(PRIOR_BODY_WEIGHTS, PRIOR_COMPLAINT_BODIES, "prior complaint bodies")
    need(("email", "phone", "mail", "none"), CONTACT_METHODS, "contact methods")
    need(("yes", "no", "unknown"), CUSTODY_ANSWERS, "custody answers")
    need(TEXTS, LANGUAGES, "languages")
    if problems:
        raise RuntimeError("demo generator out of date with vocabularies: " + "; ".join(problems))


@dataclass
class _Reference:
    counties_by_state: dict[str, list[tuple[str, str]]]  # state -> [(fips, county name)]
    other_counties: list[tuple[str, str, str]]  # (fips, state, name) outside STATE_WEIGHTS
    state_names: dict[str, str]
    hot: dict[str, list[tuple[str, str, tuple[str, ...]]]]  # state -> [(fips, name, cities)]
    staff: dict[str, list[int]]  # role -> ids of active staff with it


def _load_reference(assign: bool = False) -> _Reference:
    rows = db.session.execute(
        select(County.fips, County.state_code, County.name).order_by(County.fips)
    ).all()
    if not rows:
        raise RuntimeError("no counties in the database: load the reference data first")
    state_names = dict(db.session.execute(select(State.code, State.name)).all())
    by_state: dict[str, list[tuple[str, str]]] = {}
    names = {}
    for fips, state, name in rows:
        by_state.setdefault(state, []).append((fips, name))
        names[fips] = name
    other = [(f, s, n) for f, s, n in rows if s not in STATE_WEIGHTS]
    hot = {
        state: [(fips, names[fips], cities) for fips, cities in counties.items() if fips in names]
        for state, counties in HOT_COUNTIES.items()
    }
    staff: dict[str, list[int]] = {}
    if assign:
        for user_id, role in db.session.execute(
            select(UserRole.user_id, UserRole.role)
            .join(User, User.id == UserRole.user_id)
            .where(User.active)
            .order_by(UserRole.user_id)
        ):
            staff.setdefault(role, []).append(user_id)
    return _Reference(by_state, other, state_names, hot, staff)


# Who works a case in each status (see the module docstring); "received" waits for a claim.
TRIAGE_STATUSES = ("triage", "awaiting_information", "oig_review")
ASSIGNED_CLOSED_SHARE = 0.8


class _Generator:
    """Makes one complaint at a time as plain dicts ready for Core inserts."""

    def __init__(self, rng: random.Random, ref: _Reference, now: datetime):
        self.rng = rng
        self.ref = ref
        self.now = now
        self.today = now.date()
        self.scenarios = _Choice((s, s.weight) for s in SCENARIOS)
        self.language = _Choice({"en": 60, "es": 40})
        self.channel = _Choice(CHANNEL_WEIGHTS)
        self.relationship = _Choice(RELATIONSHIP_WEIGHTS)
        self.status_by_age = [(days, _Choice(w)) for days, w in STATUS_WEIGHTS_BY_AGE]
        self.groups = {lang: _Choice(w) for lang, w in GROUP_WEIGHTS.items()}
        self.countries = {g: _Choice(w) for g, w in COUNTRIES.items()}
        self.spoken = {
            g: _Choice(((en, es), w) for en, es, w in langs)
            for g, langs in SPOKEN_LANGUAGES.items()
        }
        self.states = _Choice({**STATE_WEIGHTS, None: OTHER_STATES_WEIGHT})
        self.border_states = _Choice(BORDER_STATE_WEIGHTS)
        self.place_kinds = {s.name: _Choice(s.place_kinds) for s in SCENARIOS}
        self.agencies = {s.name: _Choice(s.agencies) for s in SCENARIOS}
        self.custody = {
            s.name: _Choice(zip(("yes", "no", "unknown", None), s.custody, strict=True))
            for s in SCENARIOS
        }
        self.allegation_count = _Choice({1: 50, 2: 35, 3: 15})
        staff = ref.staff
        self.triage_staff = staff.get("intake_specialist", []) + staff.get("supervisor", [])
        self.casework_staff = staff.get("investigator", []) + staff.get("supervisor", [])
        self.context_count = _Choice({0: 30, 1: 50, 2: 20})
        self.stories = {}
        for lang, texts in TEXTS.items():
            for scenario in SCENARIOS:
                stages, n = [], 1
                while f"{scenario.name}.{n}" in texts:
                    stages.append(texts[f"{scenario.name}.{n}"])
                    n += 1
                self.stories[lang, scenario.name] = (
                    texts[f"{scenario.name}.open"],
                    stages,
                    texts[f"{scenario.name}.end"],
                )

    # -- small helpers -------------------------------------------------------------------------

    def _name(self, group: str, female: bool) -> tuple[str, str]:
        rng = self.rng
        males, females, surnames = NAME_GROUPS[group]
        first = rng.choice(females if female else males)
        last = rng.choice(surnames)
        if group == "hispanic" and rng.random() < 0.35:
            last = f"{last} {rng.choice(surnames)}"
        return first, last

    def _email(self, first: str, last: str) -> str:
        rng = self.rng
        first_part, last_part = _ascii(first), _ascii(last.split(" ")[0])
        style = rng.random()
        if style < 0.4:
            local = f"{first_part}.{last_part}"
        elif style < 0.7:
            local = f"{first_part[0]}{last_part}{rng.randint(1, 99)}"
        else:
            local = f"{first_part}{last_part}{rng.randint(1960, 2006)}"
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    def _phone(self, state: str | None) -> str:
        codes = AREA_CODES.get(state, OTHER_AREA_CODES)
        return f"+1{self.rng.choice(codes)}55501{self.rng.randint(0, 99):02d}"

    def _zip(self, state: str | None) -> str:
        low, high = ZIP_PREFIXES.get(state, (1, 99))
        return f"{self.rng.randint(low, high):02d}{self.rng.randint(0, 999):03d}"

    def _location(
        self, border: bool = False
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """(state, county fips, county name, city)."""
        rng, ref = self.rng, self.ref
        roll = rng.random()
        if roll < 0.02:
            return None, None, None, None
        state = self.border_states.pick(rng) if border else self.states.pick(rng)
        if state is None or not ref.counties_by_state.get(state):
            fips, state, county = rng.choice(ref.other_counties)
            city = rng.choice(GENERIC_TOWNS) if rng.random() < 0.4 else None
        elif ref.hot.get(state) and (border or rng.random() < 0.65):
            fips, county, cities = rng.choice(ref.hot[state])
            city = rng.choice(cities) if rng.random() < 0.85 else None
        else:
            fips, county = rng.choice(ref.counties_by_state[state])
            city = rng.choice(GENERIC_TOWNS) if rng.random() < 0.4 else None
        if roll < 0.05:  # the filer knew the state but not the county
            return state, None, None, city
        return state, fips, county, city

    def _when(self, lang: str, day: date, precision: str) -> tuple[str, str]:
        if lang == "en":
            if precision == "day":
                text = f"on {MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
            else:
                text = f"in {MONTHS_EN[day.month - 1]} {day.year}"
        elif precision == "day":
            text = f"el {day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
        else:
            text = f"en {MONTHS_ES[day.month - 1]} de {day.year}"
        return text[0].upper() + text[1:], text

    def _fill(self, template: str, values: dict) -> str:
        return template.format_map(values)

    # -- one complaint ------------------------------------------------------------------------

    def complaint(self) -> dict:
        rng = self.rng
        lang = self.language.pick(rng)
        scenario = self.scenarios.pick(rng)
        relationship = self.relationship.pick(rng)
        for_self = relationship == "self"
        anonymous = rng.random() < ANONYMOUS_BY_RELATIONSHIP[relationship]

        # When: submitted over the past three years (more recently, more complaints).
        age_seconds = int(HISTORY_DAYS * 86400 * (1 - rng.random() ** 0.5))
        submitted_at = self.now - timedelta(seconds=age_seconds)
        submitted_day = submitted_at.date()
        lag = min(int(rng.expovariate(1 / 25)), 400)
        incident_day = submitted_day - timedelta(days=lag)
        earliest = self.today - timedelta(days=HISTORY_DAYS)
        if incident_day < earliest:
            span = max((submitted_day - earliest).days, 0)
            incident_day = earliest + timedelta(days=rng.randint(0, span))
        precision = "day" if rng.random() < 0.8 else "month"
        if precision == "month":
            incident_day = incident_day.replace(day=1)

        state, county_fips, county_name, city = self._location(scenario.border)
        age_days = age_seconds // 86400
        status = next(c for days, c in self.status_by_age if age_days <= days).pick(rng)
        updated_at = submitted_at
        if status != "received":
            updated_at = submitted_at + timedelta(seconds=rng.randint(3600, max(3600, age_seconds)))
            updated_at = min(updated_at, self.now)

        # Who: the affected person, and the filer (the same person when filing for oneself).
        group = self.groups[lang].pick(rng)
        female = rng.random() < 0.42
        aff_first, aff_last = self._name(group, female)
        country = self.countries[group].pick(rng) if rng.random() < 0.7 else None
        spoken_en, spoken_es = self.spoken[group].pick(rng)
        if lang == "es" and group == "hispanic" and rng.random() < 0.9:
            spoken_en, spoken_es = "Spanish", "español"
        if for_self:
            filer_first, filer_last, filer_female = aff_first, aff_last, female
        else:
            filer_female = rng.random() < 0.55
            filer_group = group if rng.random() < 0.8 else self.groups[lang].pick(rng)
            filer_first, filer_last = self._name(filer_group, filer_female)
        organization = None
        if relationship == "attorney":
            organization = rng.choice(LAW_FIRMS).format(surname=filer_last.split(" ")[0])
        elif relationship == "organization":
            organization = rng.choice(ORGANIZATIONS)

        # What: place, agencies, program contexts, allegations.
        place_kind = self.place_kinds[scenario.name].pick(rng)
        place_other = rng.choice(scenario.place_other) if place_kind == "other" else None
        agencies = [self.agencies[scenario.name].pick(rng)]
        if rng.random() < 0.3:
            second = _weighted_sample(rng, scenario.agencies, 1, exclude=agencies + ["not_sure"])
            if second and agencies[0] != "not_sure":
                agencies += second
        contexts = _weighted_sample(rng, scenario.contexts, self.context_count.pick(rng))
        if "not_sure" in contexts and len(contexts) > 1:
            contexts = ["not_sure"]
        n_allegations = self.allegation_count.pick(rng)
        allegations = _weighted_sample(rng, scenario.allegations, 1)
        if n_allegations > 1:
            pool = scenario.allegations + EXTRA_ALLEGATIONS
            allegations += _weighted_sample(rng, pool, n_allegations - 1, exclude=allegations)

        # The jail's proper name reads the same in both languages ("al Harris County Jail").
        if county_name:
            jail = f"{county_name} Jail"
        else:
            jail = "county jail" if lang == "en" else "centro de detención del condado"
        detention = rng.choice(DETENTION_CENTERS)
        local_agency = None
        if "local_police" in agencies and rng.random() < 0.85:
            if county_name and (rng.random() < 0.6 or not city):
                local_agency = f"{county_name} Sheriff's Office"
            elif city:
                local_agency = f"{city} Police Department"
        other_agency = rng.choice(OTHER_DHS_NAMES) if "other_dhs" in agencies else None
        program_other = rng.choice(PROGRAM_OTHER) if "other" in contexts else None

        # Text values shared by the narrative and the other free-text fields.
        when_cap, when = self._when(lang, incident_day, precision)
        if city:
            place_name = city
        elif county_name:
            place_name = county_name
        else:
            place_name = self.ref.state_names.get(state, "") if state else ""
        place = ("in " if lang == "en" else "en ") + place_name if place_name else ""
        hour = rng.randint(1, 11)
        # The language a story asks an interpreter for is never English.
        story_en, story_es = (
            (spoken_en, spoken_es) if spoken_en != "English" else ("Spanish", "español")
        )
        story_lang = story_en if lang == "en" else story_es
        country_for_story = (
            country if country not in (None, "US") else (DEFAULT_FOREIGN_COUNTRY[group])
        )
        aff_relations = AFFECTED_RELATIONS[lang][1 if female else 0]
        values = {
            "When": when_cap,
            "when": when,
            "time": rng.choice(TIMES[lang]).format(h=hour),
            "place": place,
            "road": rng.choice(ROADS[lang]),
            "vehicle": rng.choice(VEHICLES[lang]),
            "job": rng.choice(JOBS[lang]),
            "relative": rng.choice(RELATIVES[lang]),
            "jail": jail,
            "detention": detention,
            "minutes": rng.choice((20, 30, 40, 45, 50, 60, 90)),
            "hours": rng.randint(2, 14),
            "days": rng.randint(2, 21),
            "years": rng.randint(3, 25),
            "kid_age": rng.randint(4, 17),
            "amount": f"${rng.randint(180, 650)}",
            "lang": story_lang,
            "country": COUNTRY_NAMES[country_for_story][0 if lang == "en" else 1],
            "o": "a" if female else "o",
            "officer": rng.choice(NAME_GROUPS[rng.choice(("anglo", "hispanic"))][2]),
            "badge": rng.randint(1000, 9999),
            "wname": " ".join(self._name("hispanic", rng.random() < 0.5)),
            "rel_aff": rng.choice(aff_relations),
            "aff_first": aff_first,
            "aff_name": f"{aff_first} {aff_last}",
            "org": organization or rng.choice(ORGANIZATIONS),
            "aff_he": "she" if female else "he",
            "aff_He": "She" if female else "He",
            "aff_him": "her" if female else "him",
            "aff_his": "her" if female else "his",
            "aff_His": "Her" if female else "His",
        }
        narrative = self._narrative(lang, scenario, relationship, values)

        texts = TEXTS[lang]
        complaint = {
            "status": status,
            "channel": self.channel.pick(rng),
            "language": lang,
            "filer_relationship": relationship,
            "anonymous": anonymous,
            "incident_date": incident_day,
            "incident_date_precision": precision,
            "incident_state": state,
            "incident_county_fips": county_fips,
            "incident_city": city,
            "place_kind": place_kind,
            "place_other": place_other,
            "local_agency_name": local_agency,
            "other_agency_name": other_agency,
            "program_other": program_other,
            "officers": (
                self._fill(rng.choice(texts["officers"]), values) if rng.random() < 0.4 else None
            ),
            "witnesses": (
                self._fill(rng.choice(texts["witnesses"]), values) if rng.random() < 0.3 else None
            ),
            "narrative": narrative,
            "desired_outcome": rng.choice(texts["outcome"]) if rng.random() < 0.6 else None,
            "privacy_consent": rng.random() < 0.75,
            "accommodation_disability": (
                self._fill(rng.choice(texts["accommodation_disability"]), values)
                if rng.random() < 0.03
                else None
            ),
            "accommodation_language": (
                self._fill(rng.choice(texts["accommodation_language"]), values)
                if rng.random() < (0.12 if lang == "es" else 0.03)
                else None
            ),
            "submitted_at": submitted_at,
            "created_at": submitted_at,
            "updated_at": updated_at,
            "status_changed_at": updated_at,
            "version": 1,
            "closure_reason": (
                rng.choice(GENERATED_CLOSURE_REASONS) if status == "closed" else None
            ),
            "submission_key": None,
            "assignee_id": self._assignee(status),
        }

        # People.
        filer = self._filer(anonymous, filer_first, filer_last, organization, state, city, lang)
        in_custody = self.custody[scenario.name].pick(rng)
        facility = {}
        if in_custody == "yes" and rng.random() < 0.85:
            facility_name = (
                detention
                if place_kind in ("detention", "port_of_entry")
                else (jail if county_name else detention)
            )
            facility = {
                "facility_name": facility_name,
                "facility_city": city,
                "facility_state": state,
            }
        dob = None
        if rng.random() < 0.55:
            dob = self.today - timedelta(days=rng.randint(17 * 365, 72 * 365))
        a_number = None
        if country != "US" and rng.random() < 0.45:  # ~40% of all affected people
            a_number = f"A{rng.randint(0, 999_999_999):09d}"
        interpreter = None
        if rng.random() < 0.8:
            interpreter = spoken_en != "English" and rng.random() < 0.75
        affected = {
            "role": "affected",
            "name": None if for_self else f"{aff_first} {aff_last}",
            "date_of_birth": dob,
            "a_number": a_number,
            "country_of_birth": country,
            "preferred_language": (spoken_en if lang == "en" else spoken_es.capitalize())
            if rng.random() < 0.6
            else None,
            "interpreter_needed": interpreter,
            "in_custody": in_custody,
            "consent_attested": None if for_self else rng.random() < 0.95,
            **facility,
        }

        allegation_rows = []
        for category in allegations:
            options = texts.get(f"detail.{category}")
            details = None
            if options and rng.random() < 0.4:
                details = self._fill(rng.choice(options), values)
            allegation_rows.append({"category": category, "details": details})

        priors = []
        if rng.random() < 0.08:
            for body in _weighted_sample(
                rng, PRIOR_BODY_WEIGHTS.items(), 1 if rng.random() < 0.85 else 2
            ):
                priors.append({"body": body, "case_number": self._case_number(body)})

        return {
            "complaint": complaint,
            "people": (filer, affected),
            "allegations": allegation_rows,
            "agencies": agencies,
            "contexts": contexts,
            "priors": priors,
        }

    def _assignee(self, status: str) -> int | None:
        rng = self.rng
        if status == "received":
            return None
        if status in TRIAGE_STATUSES:
            pool = self.triage_staff
        elif status == "closed" and rng.random() >= ASSIGNED_CLOSED_SHARE:
            return None
        else:
            pool = self.casework_staff or self.triage_staff
        return rng.choice(pool) if pool else None

    def _filer(self, anonymous, first, last, organization, state, city, lang) -> dict:
        rng = self.rng
        roll = rng.random()
        other_language = "es" if lang == "en" else "en"
        filer = {
            "role": "filer",
            "preferred_language": lang if roll < 0.65 else other_language if roll < 0.72 else None,
        }
        if anonymous:
            filer["contact_method"] = "none"
            return filer
        email = self._email(first, last) if rng.random() < 0.75 else None
        phone = self._phone(state) if rng.random() < 0.7 else None
        address = {}
        if rng.random() < 0.45:
            address_state = state or rng.choice(tuple(STATE_WEIGHTS))
            address = {
                "address_line1": f"{rng.randint(100, 9899)} {rng.choice(STREETS)}",
                "address_line2": f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}"
                if rng.random() < 0.2
                else None,
                "address_city": city or rng.choice(GENERIC_TOWNS),
                "address_state": address_state,
                "address_zip": self._zip(address_state),
            }
        methods = [("email", 50)] if email else []
        methods += [("phone", 30)] if phone else []
        methods += [("mail", 10)] if address else []
        methods += [("none", 3), (None, 7)]
        filer.update(
            name=f"{first} {last}",
            organization=organization,
            email=email,
            phone=phone,
            contact_method=_weighted_sample(rng, methods, 1)[0],
            **address,
        )
        return filer

    def _case_number(self, body: str) -> str | None:
        rng = self.rng
        if rng.random() < 0.25:
            return None
        year = rng.randint(self.today.year - 5, self.today.year)
        if body == "inspector_general":
            return f"OIG-{year % 100:02d}-{rng.randint(1, 99999):05d}"
        if body == "court":
            return f"{rng.randint(1, 7)}:{year % 100:02d}-cv-{rng.randint(1, 9999):05d}"
        return f"IA-{year}-{rng.randint(1, 9999):04d}"

    def _narrative(self, lang: str, scenario: Scenario, relationship: str, values: dict) -> str:
        rng = self.rng
        texts = TEXTS[lang]
        opening, stages, endings = self.stories[lang, scenario.name]
        fill = self._fill

        head = []
        if relationship != "self":
            head.append(fill(rng.choice(texts[f"intro.{relationship}"]), values))
        head.append(fill(rng.choice(opening), values))
        rare = [
            fill(rng.choice(texts[f"rare.{term}"]), values)
            for term, share in RARE_TERMS.items()
            if rng.random() < share
        ]
        tail = [fill(rng.choice(endings), values)] if rng.random() < 0.7 else []
        if rng.random() < 0.8:
            tail.append(fill(rng.choice(texts["closing"]), values))

        target = int(rng.triangular(NARRATIVE_MIN, NARRATIVE_MAX, 550))
        used = sum(len(s) + 1 for s in head + rare + tail)
        body = []
        for stage, options in enumerate(stages):
            sentence = fill(rng.choice(options), values)
            if stage and used + len(sentence) + 1 > target:
                break  # the first stage always: a story needs more than its opening line
            body.append(sentence)
            used += len(sentence) + 1
        extras = []
        for template in rng.sample(texts["extra"], MAX_EXTRAS):
            if used >= target and used >= NARRATIVE_MIN:
                break
            sentence = fill(template, values)
            if used + len(sentence) + 1 > NARRATIVE_MAX:
                continue
            extras.append(sentence)
            used += len(sentence) + 1

        groups = [head, body + rare, extras, tail]
        if rng.random() < 0.35:
            text = "\n\n".join(" ".join(g) for g in groups if g)
        else:
            text = " ".join(s for g in groups for s in g)
        text = text.replace("  ", " ").replace(" ,", ",").replace(" .", ".")
        return text[:NARRATIVE_MAX_CHARS]


def _bulk_insert(table: Table, rows: list[dict]) -> None:
    """Insert rows (all with the same keys) in the session's transaction.

    A Core executemany everywhere, except on PostgreSQL through psycopg, where COPY is several
    times faster (a pipelined executemany costs the server one statement per row, and a
    multi-row VALUES statement costs the client a parse of every placeholder). Values must
    already be what the column stores (aware UTC datetimes, dicts for JSON): COPY bypasses
    SQLAlchemy's type processing.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        db.session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    json_keys = {key for key in keys if isinstance(table.c[key].type, JSON)}
    columns = ", ".join(connection.dialect.identifier_preparer.quote(key) for key in keys)
    name = connection.dialect.identifier_preparer.format_table(table)
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            if json_keys:
                for row in rows:
                    copy.write_row([json.dumps(row[k]) if k in json_keys else row[k] for k in keys])
            else:
                for row in rows:
                    copy.write_row([row[k] for k in keys])
    finally:
        cursor.close()


def _tracking_number_in(numbers) -> ColumnElement[bool]:
    # On PostgreSQL one array parameter instead of thousands of IN (...) placeholders.
    if db.session.connection().dialect.name == "postgresql":
        return Complaint.tracking_number == any_(literal(list(numbers), ARRAY(String)))
    return Complaint.tracking_number.in_(list(numbers))


def _unique_tracking_numbers(n: int) -> list[str]:
    """n fresh tracking numbers, none already in the database."""
    numbers: list[str] = []
    seen: set[str] = set()
    while len(numbers) < n:
        candidates = set()
        while len(candidates) < n - len(numbers):
            candidate = identifiers.new_tracking_number()
            if candidate not in seen:
                candidates.add(candidate)
        taken = set(
            db.session.execute(
                select(Complaint.tracking_number).where(_tracking_number_in(candidates))
            ).scalars()
        )
        seen |= candidates
        numbers.extend(sorted(candidates - taken))
    return numbers


def _insert_batch(gen: _Generator, n: int) -> None:
    items = [gen.complaint() for _ in range(n)]
    complaint_rows = []
    for item, tracking in zip(items, _unique_tracking_numbers(n), strict=True):
        row = item["complaint"]
        row["tracking_number"] = tracking
        row["access_code_hash"] = identifiers.access_code_hash(tracking, "DEMO-" + tracking)
        complaint_rows.append(row)

    _bulk_insert(Complaint.__table__, complaint_rows)
    ids = dict(
        db.session.execute(
            select(Complaint.tracking_number, Complaint.id).where(
                _tracking_number_in([row["tracking_number"] for row in complaint_rows])
            )
        ).all()
    )

    people, allegations, agencies, contexts, priors = [], [], [], [], []
    for item in items:
        cid = ids[item["complaint"]["tracking_number"]]
        item["id"] = cid
        for person in item["people"]:
            people.append({**PERSON_DEFAULTS, **person, "complaint_id": cid})
        # Rows filed with a complaint carry its filing time (see complaints/models.py).
        filed = {"complaint_id": cid, "complaint_submitted_at": item["complaint"]["submitted_at"]}
        allegations.extend({**a, **filed} for a in item["allegations"])
        agencies.extend({**filed, "agency": a} for a in item["agencies"])
        contexts.extend({"complaint_id": cid, "context": c} for c in item["contexts"])
        priors.extend({**p, "complaint_id": cid} for p in item["priors"])
    for model, rows in (
        (Person, people),
        (Allegation, allegations),
        (ComplaintAgency, agencies),
        (ComplaintProgramContext, contexts),
        (PriorComplaint, priors),
    ):
        if rows:
            _bulk_insert(model.__table__, rows)

    index_new(
        db.session,
        [
            (item["id"], document_for(item["complaint"], item["people"], item["allegations"], _get))
            for item in items
        ],
    )

    # One complaint.submitted event per complaint, appended under the chain-head lock.
    head = lock_chain_head()
    seq, prev_hash = head.seq, head.hash
    occurred_at = datetime.now(UTC)
    events = []
    for item in items:
        row = item["complaint"]
        seq += 1
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor_type="public",
            actor_id=None,
            action="complaint.submitted",
            object_type="complaint",
            object_id=item["id"],
            details={
                "channel": row["channel"],
                "language": row["language"],
                "allegations": len(item["allegations"]),
                "attachments": 0,
                "generated": True,
            },
        )
        digest = event_hash(prev_hash, event)
        events.append(
            {
                "seq": seq,
                "occurred_at": occurred_at,
                "actor_type": event.actor_type,
                "actor_id": None,
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "details": event.details,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    _bulk_insert(AuditEvent.__table__, events)
    head.seq, head.hash = seq, prev_hash
    db.session.flush()


def _get(row: dict, key: str):
    return row.get(key)


# Closed generated cases say why; "duplicate" needs an original, so it is not generated.
GENERATED_CLOSURE_REASONS = [code for code in CLOSURE_REASONS if code != "duplicate"]

# Every key of every person row, so a bulk insert sees one shape for all rows.
PERSON_DEFAULTS = {
    column.key: None
    for column in Person.__table__.columns
    if column.key not in ("id", "complaint_id")
}


def generate_complaints(
    count: int,
    seed: int | None = None,
    batch_size: int = 2000,
    *,
    progress: Callable[[int], None] | None = None,
    assign: bool = False,
) -> int:
    """Insert ``count`` generated complaints, committing per batch; return how many.

    Commits the session, including anything the caller left pending in it. The same seed on
    the same day gives the same complaints (dates are relative to today; tracking numbers are
    always random). ``progress`` is called with the running total after each batch. ``assign``
    gives cases past "received" to the staff accounts already there (see the module docstring).
    """
    if count <= 0:
        return 0
    _check_vocabularies()
    batch_size = max(1, batch_size)
    try:
        gen = _Generator(_FastRandom(seed), _load_reference(assign), datetime.now(UTC))
        inserted = 0
        while inserted < count:
            n = min(batch_size, count - inserted)
            _insert_batch(gen, n)
            db.session.commit()
            inserted += n
            if progress is not None:
                progress(inserted)
    except BaseException:
        db.session.rollback()
        raise
    return inserted
