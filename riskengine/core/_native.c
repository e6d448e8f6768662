/* riskengine.core._native: the per-event checks of the light reader in C, one call per batch.

   What fast_events.decode_fast does to a line after msgspec has decoded it (``_complete``: the
   keys the event set, its defaults put in, the checks msgspec does not make; ``_keys_agree``: no
   key repeated on the raw line) cost about as much as msgspec's decoding itself, in Python:
   a few dozen interpreted lines and numpy passes per event. Here it is one loop over the batch
   that reads the structs' fields at their slots and the lines' bytes in place, and builds no
   Python object per field. The Python functions stay as the fallback and as the oracle
   (tests/test_native.py: both give the same events and refusals on random and hostile batches).

   The same way, later: the matcher's rows built once from the structs (struct_rows, for
   facts.rows_projector), each batch's keys hashed once (distinct_keys, for the matcher), and
   the pattern stage's filing and expiring of its candidates (pattern_file, joined_expire,
   release_expired, take_id: tests/test_native_patterns.py).

   Every input is checked before it is read: a struct of another type, a line that is not bytes,
   a slot left empty are typed Python errors (TypeError, ValueError), never a crash. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Field slots of the msgspec structs, by their member descriptors' offsets (setup()). */
enum {
    E_EVENT_ID, E_EVENT_TYPE, E_COUNTRY, E_SOURCES, E_SUB_EVENT_TYPE, E_FATALITIES, E_CIVILIAN,
    E_CAMEO, E_DRONES_L, E_DRONES_I, E_MISSILES_L, E_MISSILES_I, E_VERIFICATION, E_FIGURES,
    E_TAGS, E_DERIVED, E_SPANS, E_COUNT
};
static const char *EVENT_NAMES[E_COUNT] = {
    "event_id", "event_type", "country", "sources", "sub_event_type", "fatalities", "civilian_targeting",
    "cameo_code", "drones_launched", "drones_intercepted", "missiles_launched", "missiles_intercepted", "verification", "figures",
    "tags", "derived", "spans",
};
/* Event's free text fields, which its str_strip_whitespace strips (fast_events._STRIPPED). */
#define N_STRIPPED 9
static const char *STRIPPED_NAMES[N_STRIPPED] = {
    "event_id", "actor1", "actor2", "admin1", "location", "notes", "initiator_side", "target_side", "target_name",
};

#define MAX_FIELDS 64

typedef struct {
    PyTypeObject *type;
    Py_ssize_t count;
    Py_ssize_t all[MAX_FIELDS]; /* every field's offset, in declaration order */
} StructLayout;

typedef struct {
    int ready;
    StructLayout event, source, figure;
    Py_ssize_t at[E_COUNT];
    Py_ssize_t stripped[N_STRIPPED];
    Py_ssize_t source_name, source_reliability, source_credibility;
    PyObject *unset;           /* msgspec.UNSET */
    PyObject *sub_event_types; /* dict: event type -> the sub-event types it allows */
    PyObject *default_reliability, *default_credibility, *default_fatalities, *default_verification;
    PyObject *name_reliability, *name_credibility, *name_fatalities, *name_civilian, *name_verification;
    PyObject *name_tags, *name_figures, *name_derived, *name_sources, *name_name;
} State;

static State S;

static int member_offset(PyTypeObject *type, const char *name, Py_ssize_t *offset) {
    PyObject *descr = PyObject_GetAttrString((PyObject *)type, name);
    if (descr == NULL)
        return -1;
    if (!PyObject_TypeCheck(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a slot", type->tp_name, name);
        Py_DECREF(descr);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX || member->offset <= 0 || (size_t)member->offset + sizeof(PyObject *) > (size_t)type->tp_basicsize) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not an object slot", type->tp_name, name);
        Py_DECREF(descr);
        return -1;
    }
    *offset = member->offset;
    Py_DECREF(descr);
    return 0;
}

static int layout_of(PyObject *type, StructLayout *layout) {
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a struct type is needed");
        return -1;
    }
    PyObject *fields = PyObject_GetAttrString(type, "__struct_fields__");
    if (fields == NULL)
        return -1;
    if (!PyTuple_Check(fields) || PyTuple_GET_SIZE(fields) > MAX_FIELDS) {
        PyErr_SetString(PyExc_TypeError, "__struct_fields__ must be a tuple of at most 64 names");
        Py_DECREF(fields);
        return -1;
    }
    layout->type = (PyTypeObject *)type;
    layout->count = PyTuple_GET_SIZE(fields);
    for (Py_ssize_t n = 0; n < layout->count; n++) {
        const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(fields, n));
        if (name == NULL || member_offset(layout->type, name, &layout->all[n]) < 0) {
            Py_DECREF(fields);
            return -1;
        }
    }
    Py_DECREF(fields);
    return 0;
}

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* setup(FastEvent, FastSource, FastFigure, UNSET, SUB_EVENT_TYPES): where the fields are. */
static PyObject *setup(PyObject *self, PyObject *args) {
    PyObject *event, *source, *figure, *unset, *subs;
    if (!PyArg_ParseTuple(args, "OOOOO!:setup", &event, &source, &figure, &unset, &PyDict_Type, &subs))
        return NULL;
    S.ready = 0;
    if (layout_of(event, &S.event) < 0 || layout_of(source, &S.source) < 0 || layout_of(figure, &S.figure) < 0)
        return NULL;
    for (int n = 0; n < E_COUNT; n++)
        if (member_offset(S.event.type, EVENT_NAMES[n], &S.at[n]) < 0)
            return NULL;
    for (int n = 0; n < N_STRIPPED; n++)
        if (member_offset(S.event.type, STRIPPED_NAMES[n], &S.stripped[n]) < 0)
            return NULL;
    if (member_offset(S.source.type, "name", &S.source_name) < 0 || member_offset(S.source.type, "reliability", &S.source_reliability) < 0 ||
        member_offset(S.source.type, "credibility", &S.source_credibility) < 0)
        return NULL;
    Py_INCREF(event);
    Py_INCREF(source);
    Py_INCREF(figure);
    Py_XSETREF(S.unset, Py_NewRef(unset));
    Py_XSETREF(S.sub_event_types, Py_NewRef(subs));
#define KEEP(slot, make)                  \
    do {                                  \
        PyObject *made = (make);          \
        if (made == NULL)                 \
            return NULL;                  \
        Py_XSETREF(S.slot, made);         \
    } while (0)
    KEEP(default_reliability, PyUnicode_InternFromString("F"));
    KEEP(default_credibility, PyLong_FromLong(6));
    KEEP(default_fatalities, PyLong_FromLong(0));
    KEEP(default_verification, PyUnicode_InternFromString("claimed"));
    KEEP(name_reliability, PyUnicode_InternFromString("reliability"));
    KEEP(name_credibility, PyUnicode_InternFromString("credibility"));
    KEEP(name_fatalities, PyUnicode_InternFromString("fatalities"));
    KEEP(name_civilian, PyUnicode_InternFromString("civilian_targeting"));
    KEEP(name_verification, PyUnicode_InternFromString("verification"));
    KEEP(name_tags, PyUnicode_InternFromString("tags"));
    KEEP(name_figures, PyUnicode_InternFromString("figures"));
    KEEP(name_derived, PyUnicode_InternFromString("derived"));
    KEEP(name_sources, PyUnicode_InternFromString("sources"));
    KEEP(name_name, PyUnicode_InternFromString("name"));
#undef KEEP
    S.ready = 1;
    Py_RETURN_NONE;
}

/* Fields of ``obj`` (of ``layout``'s type) that are not None; -1 with an error if a slot is empty. */
static Py_ssize_t set_fields(PyObject *obj, const StructLayout *layout) {
    Py_ssize_t set = 0;
    for (Py_ssize_t n = 0; n < layout->count; n++) {
        PyObject *value = SLOT(obj, layout->all[n]);
        if (value == NULL) {
            PyErr_Format(PyExc_ValueError, "a %s with a field left empty", layout->type->tp_name);
            return -1;
        }
        set += value != Py_None;
    }
    return set;
}

/* str.strip(text) != text: white space (as str.isspace) at either end. */
static int padded(PyObject *text) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length == 0)
        return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    return Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, 0)) || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, length - 1));
}

/* Every character between ``low`` and ``high`` (ASCII), and at least one. */
static int all_between(PyObject *text, Py_UCS4 low, Py_UCS4 high) {
    if (!PyUnicode_Check(text))
        return 0;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length == 0)
        return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t n = 0; n < length; n++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, n);
        if (c < low || c > high)
            return 0;
    }
    return 1;
}

static int set_default(PyObject *obj, PyObject *name, PyObject *value) {
    return PyObject_SetAttr(obj, name, value);
}

static int set_empty_list(PyObject *obj, PyObject *name) {
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return -1;
    int done = PyObject_SetAttr(obj, name, list);
    Py_DECREF(list);
    return done;
}

/* ``intercepted > launched`` where both are given: 1 refused, 0 not, -1 error. */
static int more_intercepted(PyObject *event, int launched_at, int intercepted_at) {
    PyObject *launched = SLOT(event, S.at[launched_at]), *intercepted = SLOT(event, S.at[intercepted_at]);
    if (launched == Py_None || intercepted == Py_None)
        return 0;
    Py_INCREF(launched);
    Py_INCREF(intercepted);
    int more = PyObject_RichCompareBool(intercepted, launched, Py_GT);
    Py_DECREF(launched);
    Py_DECREF(intercepted);
    return more;
}

/* A key the line did not set gets its default, and is not counted among the keys it set. */
static int default_if_unset(PyObject *obj, PyObject *now, PyObject *name, PyObject *value, Py_ssize_t *keys) {
    if (now != S.unset)
        return 0;
    (*keys)--;
    return set_default(obj, name, value) < 0 ? -1 : 0;
}

/* fast_events._complete(event, True): the keys the event set, its defaults put in; -1 refused,
   -2 an error raised. */
static Py_ssize_t complete(PyObject *event) {
    Py_ssize_t keys = set_fields(event, &S.event);
    if (keys < 0)
        return -2;
    PyObject *unset = S.unset;
#define AT(n) SLOT(event, S.at[n])
    PyObject *sources = AT(E_SOURCES);
    if (!PyList_Check(sources)) {
        PyErr_SetString(PyExc_TypeError, "an event's sources must be a list");
        return -2;
    }
    /* Python code may run where an attribute is set or two values compared (a subclass's
       method, where the structs were built by hand): what is read across such a call is held */
    Py_INCREF(sources);
    for (Py_ssize_t n = 0; n < PyList_GET_SIZE(sources); n++) {
        PyObject *source = PyList_GET_ITEM(sources, n);
        if (Py_TYPE(source) != S.source.type) {
            PyErr_SetString(PyExc_TypeError, "an event's sources must be FastSources");
            Py_DECREF(sources);
            return -2;
        }
        Py_ssize_t own = set_fields(source, &S.source);
        int failed = own < 0;
        keys += own;
        Py_INCREF(source);
        failed = failed || default_if_unset(source, SLOT(source, S.source_reliability), S.name_reliability, S.default_reliability, &keys) < 0;
        failed = failed || default_if_unset(source, SLOT(source, S.source_credibility), S.name_credibility, S.default_credibility, &keys) < 0;
        Py_DECREF(source);
        if (failed) {
            Py_DECREF(sources);
            return -2;
        }
    }
    Py_DECREF(sources);
    if (default_if_unset(event, AT(E_FATALITIES), S.name_fatalities, S.default_fatalities, &keys) < 0
        || default_if_unset(event, AT(E_CIVILIAN), S.name_civilian, Py_False, &keys) < 0
        || default_if_unset(event, AT(E_VERIFICATION), S.name_verification, S.default_verification, &keys) < 0)
        return -2;
    PyObject *tags = AT(E_TAGS);
    if (tags == unset) {
        if (set_empty_list(event, S.name_tags) < 0)
            return -2;
        keys--;
    } else {
        if (!PyList_Check(tags)) {
            PyErr_SetString(PyExc_TypeError, "an event's tags must be a list");
            return -2;
        }
        /* not sorted, repeated or padded: Event changes them; the Event path does that. The
           list is held and read by index each time: a comparison runs Python code only for str
           subclasses, which msgspec never makes, but such code could change the list. */
        Py_INCREF(tags);
        int verdict = 0;
        for (Py_ssize_t n = 0; n < PyList_GET_SIZE(tags) && verdict == 0; n++) {
            PyObject *tag = PyList_GET_ITEM(tags, n);
            if (!PyUnicode_Check(tag)) {
                PyErr_SetString(PyExc_TypeError, "an event's tags must be strings");
                verdict = -2;
            } else if (n > 0) {
                PyObject *before = PyList_GET_ITEM(tags, n - 1);
                Py_INCREF(before);
                Py_INCREF(tag);
                int order = PyObject_RichCompareBool(before, tag, Py_GE);
                Py_DECREF(before);
                Py_DECREF(tag);
                verdict = order < 0 ? -2 : order ? -1 : 0;
            }
        }
        for (Py_ssize_t n = 0; n < PyList_GET_SIZE(tags) && verdict == 0; n++) {
            PyObject *tag = PyList_GET_ITEM(tags, n);
            if (!PyUnicode_Check(tag)) {
                PyErr_SetString(PyExc_TypeError, "an event's tags must be strings");
                verdict = -2;
            } else if (padded(tag)) {
                verdict = -1;
            }
        }
        Py_DECREF(tags);
        if (verdict < 0)
            return verdict;
    }
    PyObject *figures = AT(E_FIGURES);
    if (figures == unset) {
        if (set_empty_list(event, S.name_figures) < 0)
            return -2;
        keys--;
    } else {
        if (!PyList_Check(figures)) {
            PyErr_SetString(PyExc_TypeError, "an event's figures must be a list");
            return -2;
        }
        for (Py_ssize_t n = 0; n < PyList_GET_SIZE(figures); n++) {
            PyObject *figure = PyList_GET_ITEM(figures, n);
            if (Py_TYPE(figure) != S.figure.type) {
                PyErr_SetString(PyExc_TypeError, "an event's figures must be FastFigures");
                return -2;
            }
            Py_ssize_t own = set_fields(figure, &S.figure);
            if (own < 0)
                return -2;
            keys += own;
        }
    }
    PyObject *derived = AT(E_DERIVED);
    if (derived == unset) {
        if (set_empty_list(event, S.name_derived) < 0)
            return -2;
        keys--;
    } else {
        if (!PyList_Check(derived)) {
            PyErr_SetString(PyExc_TypeError, "an event's derivations must be a list");
            return -2;
        }
        keys += 4 * PyList_GET_SIZE(derived); /* no field of a derivation can be absent or null */
    }
    PyObject *spans = AT(E_SPANS);
    if (spans != Py_None) {
        if (!PyList_Check(spans)) {
            PyErr_SetString(PyExc_TypeError, "an event's spans must be a list or None");
            return -2;
        }
        keys += 5 * PyList_GET_SIZE(spans); /* nor of a span */
    }
    for (int n = 0; n < N_STRIPPED; n++) {
        PyObject *text = SLOT(event, S.stripped[n]);
        if (text == NULL) {
            PyErr_SetString(PyExc_ValueError, "an event with a field left empty");
            return -2;
        }
        if (text == Py_None)
            continue;
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "an event's text fields must be strings");
            return -2;
        }
        if (padded(text))
            return -1;
    }
    /* the patterns (see fast_events._ISO3): ASCII letters all upper case, ASCII digits */
    if (!all_between(AT(E_COUNTRY), 'A', 'Z'))
        return -1;
    PyObject *cameo = AT(E_CAMEO);
    if (cameo != Py_None && !all_between(cameo, '0', '9'))
        return -1;
    /* Event's model validator */
    PyObject *sub = AT(E_SUB_EVENT_TYPE);
    if (sub != Py_None) {
        PyObject *allowed = PyDict_GetItemWithError(S.sub_event_types, AT(E_EVENT_TYPE));
        if (allowed == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, AT(E_EVENT_TYPE));
            return -2;
        }
        Py_INCREF(allowed);
        Py_INCREF(sub);
        int in = PySequence_Contains(allowed, sub);
        Py_DECREF(sub);
        Py_DECREF(allowed);
        if (in < 0)
            return -2;
        if (!in)
            return -1;
    }
    int more = more_intercepted(event, E_DRONES_L, E_DRONES_I);
    if (more == 0)
        more = more_intercepted(event, E_MISSILES_L, E_MISSILES_I);
    if (more < 0)
        return -2;
    if (more)
        return -1;
#undef AT
    return keys;
}

/* fast_events._keys_agree(raw, keys): the line repeats no key. */
static int keys_agree(const char *raw, Py_ssize_t size, Py_ssize_t keys) {
    Py_ssize_t colons = 0, key_ends = 0;
    int spaced = 0;
    const char *end = raw + size;
    for (const char *at = raw; (at = memchr(at, ':', (size_t)(end - at))) != NULL; at++) {
        colons++;
        if (at > raw && at[-1] == '"') {
            key_ends++;
            continue;
        }
        /* a key spaced from its colon ('"[ \t\r\n]+:') hides from the count of key ends */
        const char *back = at;
        while (back > raw && (back[-1] == ' ' || back[-1] == '\t' || back[-1] == '\r' || back[-1] == '\n'))
            back--;
        if (back < at && back > raw && back[-1] == '"')
            spaced = 1;
    }
    if (colons == keys)
        return 1;
    return key_ends == keys && !spaced;
}

/* check_lines(lines, events): each event as decode_fast gives it for its line (its defaults
   put in), None where it refuses the line; ``events`` are msgspec's FastEvents of the lines,
   None where msgspec refused one. */
static PyObject *check_lines(PyObject *self, PyObject *args) {
    PyObject *lines, *events;
    if (!PyArg_ParseTuple(args, "O!O!:check_lines", &PyList_Type, &lines, &PyList_Type, &events))
        return NULL;
    if (!S.ready) {
        PyErr_SetString(PyExc_RuntimeError, "riskengine.core._native.setup() has not been called");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(lines);
    if (PyList_GET_SIZE(events) != count) {
        PyErr_SetString(PyExc_ValueError, "as many events as lines are needed");
        return NULL;
    }
    PyObject *out = PyList_New(count);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t n = 0; n < count; n++) {
        /* the lists are read by index each time and their items held while in use: setattr and
           comparisons may run code, which could change them */
        if (n >= PyList_GET_SIZE(lines) || n >= PyList_GET_SIZE(events)) {
            PyErr_SetString(PyExc_RuntimeError, "the lines or events changed while checked");
            goto fail;
        }
        PyObject *raw = PyList_GET_ITEM(lines, n), *event = PyList_GET_ITEM(events, n);
        if (!PyBytes_Check(raw)) {
            PyErr_SetString(PyExc_TypeError, "lines must be bytes");
            goto fail;
        }
        PyObject *kept = Py_None;
        if (event != Py_None) {
            if (Py_TYPE(event) != S.event.type) {
                PyErr_SetString(PyExc_TypeError, "events must be FastEvents or None");
                goto fail;
            }
            Py_INCREF(event);
            Py_INCREF(raw);
            Py_ssize_t keys = complete(event);
            if (keys == -2) {
                Py_DECREF(event);
                Py_DECREF(raw);
                goto fail;
            }
            if (keys >= 0 && keys_agree(PyBytes_AS_STRING(raw), PyBytes_GET_SIZE(raw), keys))
                kept = event;
            Py_DECREF(raw);
            Py_INCREF(kept);
            Py_DECREF(event);
        } else {
            Py_INCREF(kept);
        }
        PyList_SET_ITEM(out, n, kept);
    }
    return out;
fail:
    Py_DECREF(out); /* the items not yet set are NULL, which list_dealloc skips */
    return NULL;
}

/* The key scorer.source_weights looks an event's weight up by: its sources' (name, reliability,
   credibility), a FastEvent's read at their slots, another event's as attributes. */
static PyObject *source_key(PyObject *event) {
    PyObject *sources;
    if (Py_TYPE(event) == S.event.type) {
        sources = SLOT(event, S.at[E_SOURCES]);
        if (sources == NULL) {
            PyErr_SetString(PyExc_ValueError, "an event with a field left empty");
            return NULL;
        }
        Py_INCREF(sources);
    } else {
        sources = PyObject_GetAttr(event, S.name_sources);
        if (sources == NULL)
            return NULL;
    }
    PyObject *seq = PySequence_Tuple(sources); /* a copy: a list could change under us */
    Py_DECREF(sources);
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    PyObject *key = PyTuple_New(count);
    if (key == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *source = PyTuple_GET_ITEM(seq, n);
        PyObject *grade;
        if (Py_TYPE(source) == S.source.type) {
            PyObject *name = SLOT(source, S.source_name), *reliability = SLOT(source, S.source_reliability), *credibility = SLOT(source, S.source_credibility);
            if (name == NULL || reliability == NULL || credibility == NULL) {
                PyErr_SetString(PyExc_ValueError, "a source with a field left empty");
                grade = NULL;
            } else {
                grade = PyTuple_Pack(3, name, reliability, credibility);
            }
        } else {
            PyObject *name = PyObject_GetAttr(source, S.name_name);
            PyObject *reliability = name == NULL ? NULL : PyObject_GetAttr(source, S.name_reliability);
            PyObject *credibility = reliability == NULL ? NULL : PyObject_GetAttr(source, S.name_credibility);
            grade = credibility == NULL ? NULL : PyTuple_Pack(3, name, reliability, credibility);
            Py_XDECREF(name);
            Py_XDECREF(reliability);
            Py_XDECREF(credibility);
        }
        if (grade == NULL) {
            Py_DECREF(key);
            Py_DECREF(seq);
            return NULL;
        }
        PyTuple_SET_ITEM(key, n, grade);
    }
    Py_DECREF(seq);
    return key;
}

/* source_weights(events, weights): each event's weight in the dict ``weights`` by its
   sources' names and grades (scorer._WEIGHTS), None where it holds none yet. */
static PyObject *source_weights(PyObject *self, PyObject *args) {
    PyObject *events, *weights;
    if (!PyArg_ParseTuple(args, "OO!:source_weights", &events, &PyDict_Type, &weights))
        return NULL;
    if (!S.ready) {
        PyErr_SetString(PyExc_RuntimeError, "riskengine.core._native.setup() has not been called");
        return NULL;
    }
    PyObject *seq = PySequence_Tuple(events); /* a copy of a list: getting an attribute or hashing may run code */
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *key = source_key(PyTuple_GET_ITEM(seq, n));
        if (key == NULL)
            goto fail;
        PyObject *weight = PyDict_GetItemWithError(weights, key);
        Py_DECREF(key);
        if (weight == NULL) {
            if (PyErr_Occurred())
                goto fail;
            weight = Py_None;
        }
        Py_INCREF(weight);
        PyList_SET_ITEM(out, n, weight);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

/* cached_column(values, cache, kind): single.FieldPlan.column's and PythonGroup.column's answer
   where the cache already holds every value: ``cache[value]`` for each value, None for None.
   ``kind`` says which values the cache may answer for: 0 any but booleans (True == 1: a number's
   cache must not answer for a boolean), 1 booleans only, 2 strings only. None (the whole column
   to Python, which fills the cache) where a value is of another type, unhashable or missing. */
static PyObject *cached_column(PyObject *self, PyObject *args) {
    PyObject *values, *cache;
    int kind;
    if (!PyArg_ParseTuple(args, "OO!i:cached_column", &values, &PyDict_Type, &cache, &kind))
        return NULL;
    if (kind < 0 || kind > 2) {
        PyErr_SetString(PyExc_ValueError, "kind must be 0, 1 or 2");
        return NULL;
    }
    PyObject *seq = PySequence_Tuple(values); /* the column itself when a tuple (zip's); a list is copied, as a key's __eq__ may run code */
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    PyObject *out = PyList_New(count);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *value = PyTuple_GET_ITEM(seq, n), *found;
        if (value == Py_None) {
            found = Py_None;
        } else {
            int fits = kind == 0 ? !PyBool_Check(value) : kind == 1 ? PyBool_Check(value) : PyUnicode_CheckExact(value);
            if (!fits)
                goto python;
            found = PyDict_GetItemWithError(cache, value);
            if (found == NULL) {
                /* missing, or an error (unhashable): Python's path fills the cache, or says
                   what to do with such a value, or raises the same error again */
                PyErr_Clear();
                goto python;
            }
        }
        Py_INCREF(found);
        PyList_SET_ITEM(out, n, found);
    }
    Py_DECREF(seq);
    return out;
python:
    Py_DECREF(seq);
    Py_DECREF(out);
    Py_RETURN_NONE;
}


/* struct_rows(events, at, rest, encoded): facts.rows_projector's rows of a batch of FastEvents,
   each built once from the struct's slots. A row holds the fields at positions ``at`` of
   __struct_fields__ (a tuple of ints) as they are stored, then one value per item of ``rest``:
     (0, column)             the column's value for the event (an iterable as long as ``events``);
     (1, position)           the field at that position, as ``encoded`` (facts._encoded) gives it;
     (2, derive, positions)  None where the fields at ``positions`` are all None (the derived
                             field's FieldSpec.none_unless), else encoded(derive(event)).
   ``encoded`` is called only for a value that is not None, an empty list (a new empty list), a
   str, an int, a float or a bool: those it gives back as they are. The Python path builds four
   tuples an event (msgspec's astuple, an itemgetter's, zip's and their sum) and calls a Python
   function an event for each derived field and each list; this builds one tuple and calls
   none for an event without tags or the derived fields' figures (most). */
#define MAX_IFS 8
typedef struct {
    long kind;
    PyObject *column; /* kind 0: a tuple of our own */
    Py_ssize_t offset; /* kind 1 */
    PyObject *derive; /* kind 2, borrowed from ``given`` */
    Py_ssize_t ifs, when[MAX_IFS];
} Extra;

static int field_offset(PyObject *position, Py_ssize_t *offset) {
    Py_ssize_t field = PyLong_AsSsize_t(position);
    if (field == -1 && PyErr_Occurred())
        return -1;
    if (field < 0 || field >= S.event.count) {
        PyErr_Format(PyExc_IndexError, "no field %zd in %s", field, S.event.type->tp_name);
        return -1;
    }
    *offset = S.event.all[field];
    return 0;
}

static PyObject *read_slot(PyObject *event, Py_ssize_t offset) {
    PyObject *value = SLOT(event, offset);
    if (value == NULL)
        PyErr_Format(PyExc_ValueError, "a %s with a field left empty", S.event.type->tp_name);
    return value;
}

/* A new reference to ``value`` as facts._encoded gives it (``value`` borrowed). */
static PyObject *encode(PyObject *value, PyObject *encoded) {
    if (value == Py_None || PyUnicode_CheckExact(value) || PyLong_CheckExact(value) || PyFloat_CheckExact(value) || PyBool_Check(value))
        return Py_NewRef(value);
    if (PyList_CheckExact(value) && PyList_GET_SIZE(value) == 0)
        return PyList_New(0);
    return PyObject_CallOneArg(encoded, value);
}

static PyObject *struct_rows(PyObject *self, PyObject *args) {
    PyObject *events, *at, *rest, *encoded;
    if (!PyArg_ParseTuple(args, "OO!OO:struct_rows", &events, &PyTuple_Type, &at, &rest, &encoded))
        return NULL;
    if (!S.ready) {
        PyErr_SetString(PyExc_RuntimeError, "riskengine.core._native.setup() has not been called");
        return NULL;
    }
    if (!PyCallable_Check(encoded)) {
        PyErr_SetString(PyExc_TypeError, "encoded must be callable");
        return NULL;
    }
    Py_ssize_t width = PyTuple_GET_SIZE(at);
    if (width > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "more positions than the struct has fields");
        return NULL;
    }
    Py_ssize_t offsets[MAX_FIELDS];
    for (Py_ssize_t k = 0; k < width; k++)
        if (field_offset(PyTuple_GET_ITEM(at, k), &offsets[k]) < 0)
            return NULL;
    Extra extras[MAX_FIELDS];
    Py_ssize_t extra = 0;
    /* copies: building a tuple may collect garbage, and ``derive`` and ``encoded`` are Python
       code: either may change a list given here */
    PyObject *seq = NULL, *given = NULL, *out = NULL;
    given = PySequence_Tuple(rest);
    if (given == NULL)
        return NULL;
    if (PyTuple_GET_SIZE(given) > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "more columns than the struct has fields");
        goto fail;
    }
    for (; extra < PyTuple_GET_SIZE(given); extra++) {
        Extra *e = &extras[extra];
        PyObject *spec = PyTuple_GET_ITEM(given, extra);
        e->column = NULL;
        if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) < 2) {
            PyErr_SetString(PyExc_TypeError, "each column is a tuple (kind, ...)");
            goto fail;
        }
        e->kind = PyLong_AsLong(PyTuple_GET_ITEM(spec, 0));
        if (e->kind == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t size = PyTuple_GET_SIZE(spec);
        if (e->kind == 0 && size == 2) {
            if ((e->column = PySequence_Tuple(PyTuple_GET_ITEM(spec, 1))) == NULL)
                goto fail;
        } else if (e->kind == 1 && size == 2) {
            if (field_offset(PyTuple_GET_ITEM(spec, 1), &e->offset) < 0)
                goto fail;
        } else if (e->kind == 2 && size == 3) {
            e->derive = PyTuple_GET_ITEM(spec, 1);
            PyObject *when = PyTuple_GET_ITEM(spec, 2);
            if (!PyCallable_Check(e->derive) || !PyTuple_Check(when) || PyTuple_GET_SIZE(when) > MAX_IFS) {
                PyErr_SetString(PyExc_TypeError, "a derived column is (2, callable, a tuple of at most 8 positions)");
                goto fail;
            }
            e->ifs = PyTuple_GET_SIZE(when);
            for (Py_ssize_t k = 0; k < e->ifs; k++)
                if (field_offset(PyTuple_GET_ITEM(when, k), &e->when[k]) < 0)
                    goto fail;
        } else {
            PyErr_SetString(PyExc_ValueError, "a column is (0, values), (1, position) or (2, derive, positions)");
            goto fail;
        }
    }
    seq = PySequence_Tuple(events);
    if (seq == NULL)
        goto fail;
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    for (Py_ssize_t n = 0; n < count; n++)
        if (Py_TYPE(PyTuple_GET_ITEM(seq, n)) != S.event.type) {
            PyErr_Format(PyExc_TypeError, "struct_rows takes %s only, not %.100s", S.event.type->tp_name, Py_TYPE(PyTuple_GET_ITEM(seq, n))->tp_name);
            goto fail;
        }
    for (Py_ssize_t k = 0; k < extra; k++)
        if (extras[k].kind == 0 && PyTuple_GET_SIZE(extras[k].column) != count) {
            PyErr_Format(PyExc_ValueError, "column %zd holds %zd values for %zd events", k, PyTuple_GET_SIZE(extras[k].column), count);
            goto fail;
        }
    out = PyList_New(count);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *event = PyTuple_GET_ITEM(seq, n);
        PyObject *row = PyTuple_New(width + extra);
        if (row == NULL)
            goto fail;
        PyList_SET_ITEM(out, n, row);
        for (Py_ssize_t k = 0; k < width; k++) {
            PyObject *value = read_slot(event, offsets[k]);
            if (value == NULL)
                goto fail;
            PyTuple_SET_ITEM(row, k, Py_NewRef(value));
        }
        for (Py_ssize_t k = 0; k < extra; k++) {
            Extra *e = &extras[k];
            PyObject *value;
            if (e->kind == 0) {
                value = Py_NewRef(PyTuple_GET_ITEM(e->column, n));
            } else if (e->kind == 1) {
                PyObject *stored = read_slot(event, e->offset);
                if (stored == NULL)
                    goto fail;
                Py_INCREF(stored); /* ``encoded`` may change the slot */
                value = encode(stored, encoded);
                Py_DECREF(stored);
                if (value == NULL)
                    goto fail;
            } else {
                int unknown = 1;
                for (Py_ssize_t i = 0; i < e->ifs && unknown; i++) {
                    PyObject *stored = read_slot(event, e->when[i]);
                    if (stored == NULL)
                        goto fail;
                    unknown = stored == Py_None;
                }
                if (unknown) {
                    value = Py_NewRef(Py_None);
                } else {
                    PyObject *derived = PyObject_CallOneArg(e->derive, event);
                    if (derived == NULL)
                        goto fail;
                    value = encode(derived, encoded);
                    Py_DECREF(derived);
                    if (value == NULL)
                        goto fail;
                }
            }
            PyTuple_SET_ITEM(row, width + k, value);
        }
    }
    for (Py_ssize_t k = 0; k < extra; k++)
        Py_XDECREF(extras[k].column);
    Py_DECREF(given);
    Py_DECREF(seq);
    return out;
fail:
    for (Py_ssize_t k = 0; k < extra && k < MAX_FIELDS; k++)
        Py_XDECREF(extras[k].column);
    Py_XDECREF(given);
    Py_XDECREF(seq);
    Py_XDECREF(out);
    return NULL;
}

/* distinct_keys(keys): the batch's distinct keys other than None, in the order of first
   appearance, and each key's position among them (-1 for None), each key hashed once. The
   matcher (single.SingleStage.answers, matcher._match) otherwise hashes every event's key twice,
   by dict.fromkeys and by the map from keys to their answers: a key is a tuple of some 31
   entries, whose hash CPython does not keep. */
static PyObject *distinct_keys(PyObject *self, PyObject *args) {
    PyObject *keys;
    if (!PyArg_ParseTuple(args, "O:distinct_keys", &keys))
        return NULL;
    PyObject *seq = PySequence_Tuple(keys); /* a copy: a key's __hash__ or __eq__ may run code */
    if (seq == NULL)
        return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(seq);
    PyObject *index = PyDict_New(), *distinct = PyList_New(0), *where = PyList_New(count), *none = PyLong_FromLong(-1);
    if (index == NULL || distinct == NULL || where == NULL || none == NULL)
        goto fail;
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *key = PyTuple_GET_ITEM(seq, n), *at;
        if (key == Py_None) {
            at = Py_NewRef(none);
        } else {
            at = PyDict_GetItemWithError(index, key);
            if (at != NULL) {
                Py_INCREF(at);
            } else {
                if (PyErr_Occurred())
                    goto fail;
                at = PyLong_FromSsize_t(PyList_GET_SIZE(distinct));
                if (at == NULL)
                    goto fail;
                if (PyDict_SetItem(index, key, at) < 0 || PyList_Append(distinct, key) < 0) {
                    Py_DECREF(at);
                    goto fail;
                }
            }
        }
        PyList_SET_ITEM(where, n, at);
    }
    Py_DECREF(seq);
    Py_DECREF(index);
    Py_DECREF(none);
    return Py_BuildValue("(NN)", distinct, where);
fail:
    Py_DECREF(seq);
    Py_XDECREF(index);
    Py_XDECREF(distinct);
    Py_XDECREF(where);
    Py_XDECREF(none);
    return NULL;
}


/* ---- The pattern stage's filing: patterns.PatternStage._file, one call per slice ----------------

   Every candidate event of a pattern rule goes through the same interpreted steps before durable
   sees it (and nearly all never do: they wait for a rule to be armed, then expire): its join
   values read from the row and checked, its pairs with the live candidates of each rule matched by
   date span (PatternStage._join), its durable doc per pattern ruleset, filed live by expiry date,
   and its counts per set of flags. pattern_file does those steps in C, on the stage's own
   containers (given once as a context tuple, in the order of the CTX_ names), so that the Python
   code that reads them (arming, asserting, expiring, rotating) is unchanged. durable-rules is not
   called here: what fires is still what durable decides (and, for date-span rules, the same table
   look-ups as _join). Whatever the fast path does not know exactly (a join value not an int within
   2**53 or a string of the expected kind, a date not an int, a span bound of another type) goes to
   the Python code it stands for, so the two agree by construction; tests/test_native_patterns.py
   checks the stage's state and firings against RISKENGINE_NATIVE=0's on random and hostile input. */

enum {
    CTX_ROUTES, CTX_JOINED_ROUTES, CTX_ROUTES_FOR, CTX_JOIN_VALUES, CTX_KIND, CTX_TAKE, CTX_EXPIRY, CTX_LIVE,
    CTX_LIVE_FLAGS, CTX_FILED_FLAGS, CTX_RETAINED, CTX_EVENT_OF, CTX_HEAPPUSH, CTX_COUNTER, CTX_JOINED_FILED,
    CTX_JOINED_EXPIRY, CTX_TOKENS, CTX_LIMIT_ERROR, CTX_MAX_KEYS, CTX_SEQ, CTX_COUNT
};

#define EXACT_INT_BITS 53
#define SPAN_EXACT (1LL << 50) /* span arithmetic in doubles only below this: exact there */

static PyObject *N_ID, *N_NUM, *N_STR, *N_BOUNDS, *N_KEY, *N_COVERED, *N_AT, *N_RULE_IDS, *N_WINDOWS, *N_SPAN, *N_START, *N_STOP;

static int pattern_names(void) {
    if (N_ID != NULL)
        return 0;
    const char *texts[] = {"num", "str", "bounds", "key", "covered", "at", "rule_ids", "windows", "span", "start", "stop", "id"};
    PyObject **slots[] = {&N_NUM, &N_STR, &N_BOUNDS, &N_KEY, &N_COVERED, &N_AT, &N_RULE_IDS, &N_WINDOWS, &N_SPAN, &N_START, &N_STOP, &N_ID};
    for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
        *slots[k] = PyUnicode_InternFromString(texts[k]);
        if (*slots[k] == NULL)
            return -1;
    }
    return 0;
}

/* Whether ``text`` (any object) equals the str ``name``, as ``==`` says. */
static int equals(PyObject *text, PyObject *name) {
    if (text == name)
        return 1;
    return PyObject_RichCompareBool(text, name, Py_EQ);
}

/* The item at ``n`` of a list or tuple, borrowed; NULL and IndexError/TypeError otherwise. */
static PyObject *item_at(PyObject *seq, Py_ssize_t n, const char *what) {
    if (PyList_Check(seq)) {
        if (n < 0 || n >= PyList_GET_SIZE(seq))
            goto range;
        return PyList_GET_ITEM(seq, n);
    }
    if (PyTuple_Check(seq)) {
        if (n < 0 || n >= PyTuple_GET_SIZE(seq))
            goto range;
        return PyTuple_GET_ITEM(seq, n);
    }
    PyErr_Format(PyExc_TypeError, "pattern_file: %s must be a list or tuple, not %.100s", what, Py_TYPE(seq)->tp_name);
    return NULL;
range:
    PyErr_Format(PyExc_IndexError, "pattern_file: position %zd out of range of %s", n, what);
    return NULL;
}

/* A tuple of exactly ``size`` items, else TypeError. */
static int is_tuple_of(PyObject *item, Py_ssize_t size, const char *what) {
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != size) {
        PyErr_Format(PyExc_TypeError, "pattern_file: %s must be a tuple of %zd", what, size);
        return 0;
    }
    return 1;
}

/* The candidate's join values (PatternStage._join_values) where every value is None, an int
   within 2**53 where a number is expected, or a str where one is expected: a new dict. Anything
   else: the Python function on ``read(row)``, which converts or refuses it. */
static PyObject *join_values(PyObject *ctx, PyObject *row, PyObject *read, PyObject *at, PyObject *kinds, PyObject *event_id) {
    Py_ssize_t count = PyList_GET_SIZE(kinds);
    if (PyList_GET_SIZE(at) != count) {
        PyErr_SetString(PyExc_ValueError, "pattern_file: one position per join kind");
        return NULL;
    }
    PyObject *values = PyDict_New();
    if (values == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *spec = PyList_GET_ITEM(kinds, k);
        if (!is_tuple_of(spec, 4, "a join kind"))
            goto fail;
        PyObject *where = PyList_GET_ITEM(at, k);
        Py_ssize_t position = PyLong_AsSsize_t(where);
        if (position == -1 && PyErr_Occurred())
            goto fail;
        PyObject *value = item_at(row, position, "a candidate's row");
        if (value == NULL)
            goto fail;
        if (value == Py_None)
            continue;
        PyObject *expected = PyTuple_GET_ITEM(spec, 2);
        int fits = 0;
        if (PyLong_CheckExact(value) && PyUnicode_Check(expected) && PyUnicode_Compare(expected, N_NUM) == 0) {
            int overflow = 0;
            long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
            if (number == -1 && PyErr_Occurred())
                goto fail;
            fits = !overflow && number > -(1LL << EXACT_INT_BITS) && number < (1LL << EXACT_INT_BITS);
        } else if (PyUnicode_CheckExact(value) && PyUnicode_Check(expected) && PyUnicode_Compare(expected, N_STR) == 0) {
            fits = 1;
        }
        if (!fits) { /* the Python path, for the whole candidate */
            Py_DECREF(values);
            PyObject *read_values = PyObject_CallOneArg(read, row);
            if (read_values == NULL)
                return NULL;
            PyObject *out = PyObject_CallFunctionObjArgs(PyTuple_GET_ITEM(ctx, CTX_JOIN_VALUES), kinds, read_values, event_id, NULL);
            Py_DECREF(read_values);
            if (out != NULL && !PyDict_Check(out)) {
                PyErr_SetString(PyExc_TypeError, "pattern_file: join values must be a dict");
                Py_CLEAR(out);
            }
            return out;
        }
        if (PyDict_SetItem(values, PyTuple_GET_ITEM(spec, 1), value) < 0)
            goto fail;
    }
    return values;
fail:
    Py_DECREF(values);
    return NULL;
}

/* Whether the candidate's date is a day number (PatternStage._file's ``dated``). */
static int is_dated(PyObject *ctx, PyObject *date) {
    if (PyLong_CheckExact(date))
        return 1;
    PyObject *held = PyObject_CallOneArg(PyTuple_GET_ITEM(ctx, CTX_KIND), date);
    if (held == NULL)
        return -1;
    int num = equals(held, N_NUM);
    Py_DECREF(held);
    if (num <= 0)
        return num;
    if (PyFloat_Check(date) && isnan(PyFloat_AS_DOUBLE(date)))
        return 0;
    return 1;
}

/* When a filing of a candidate kept ``window`` days expires (a new reference): never
   (math.inf) without a window, its date plus the window when dated, else at once (-inf). */
static PyObject *expires_at(PyObject *window, PyObject *date, int dated) {
    if (window == Py_None)
        return PyFloat_FromDouble(Py_HUGE_VAL);
    if (dated)
        return PyNumber_Add(date, window);
    return PyFloat_FromDouble(-Py_HUGE_VAL);
}

/* ``late = late or (dated and expires < horizon)`` (``always``: the comparison made even when
   already late, as the doc filing's ``if dated and expires < horizon`` makes it) */
static int note_late(PyObject *expires, PyObject *horizon, int dated, int *late, int always) {
    if (!dated || (*late && !always))
        return 0;
    int before = PyObject_RichCompareBool(expires, horizon, Py_LT);
    if (before < 0)
        return -1;
    *late = *late || before;
    return 0;
}

/* A number as a double when it is an exact int below SPAN_EXACT or a float; 0 when not. */
static int span_number(PyObject *value, double *out) {
    if (PyFloat_CheckExact(value)) {
        *out = PyFloat_AS_DOUBLE(value);
        return !isnan(*out);
    }
    if (PyLong_CheckExact(value)) {
        int overflow = 0;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (number == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        if (overflow || number <= -SPAN_EXACT || number >= SPAN_EXACT)
            return 0;
        *out = (double)number;
        return 1;
    }
    return 0;
}

/* _Joined.span: the days [*first, *last) of leg 1's date a leg-0 candidate pairs with. In
   doubles where that is exact (day numbers and offsets well below 2**53, as they are), else the
   Python method. */
static int joined_span(PyObject *j, PyObject *bounds, PyObject *values, long long *first, long long *last) {
    double low = -Py_HUGE_VAL, high = Py_HUGE_VAL;
    int exact = PyTuple_Check(bounds);
    Py_ssize_t count = exact ? PyTuple_GET_SIZE(bounds) : 0;
    *first = *last = 0;
    for (Py_ssize_t k = 0; exact && k < count; k++) {
        PyObject *bound = PyTuple_GET_ITEM(bounds, k);
        if (!PyTuple_Check(bound) || PyTuple_GET_SIZE(bound) != 3) {
            exact = 0;
            break;
        }
        PyObject *value = PyDict_GetItemWithError(values, PyTuple_GET_ITEM(bound, 0));
        if (value == NULL) {
            if (PyErr_Occurred())
                return -1;
            return 0; /* lacks a date the joins read: pairs with no day */
        }
        double v, lowest, highest;
        if (value == Py_None)
            return 0;
        if (!span_number(value, &v) || !PyLong_CheckExact(value) || !span_number(PyTuple_GET_ITEM(bound, 1), &lowest) ||
            !span_number(PyTuple_GET_ITEM(bound, 2), &highest)) {
            exact = 0;
            break;
        }
        if (v + lowest > low)
            low = v + lowest;
        if (v + highest < high)
            high = v + highest;
    }
    if (exact && !(low <= high))
        return 0;
    if (exact && isfinite(low) && isfinite(high) && fabs(low) < (double)SPAN_EXACT && fabs(high) < (double)SPAN_EXACT) {
        *first = (long long)low;       /* int() truncates toward zero, as the cast does */
        *last = (long long)high + 1;
        return 0;
    }
    PyObject *span = PyObject_CallMethodOneArg(j, N_SPAN, values);
    if (span == NULL)
        return -1;
    if (!PyRange_Check(span)) {
        Py_DECREF(span);
        PyErr_SetString(PyExc_TypeError, "pattern_file: a span must be a range");
        return -1;
    }
    PyObject *start = PyObject_GetAttr(span, N_START), *stop = PyObject_GetAttr(span, N_STOP);
    Py_DECREF(span);
    if (start == NULL || stop == NULL) {
        Py_XDECREF(start);
        Py_XDECREF(stop);
        return -1;
    }
    *first = PyLong_AsLongLong(start);
    *last = PyLong_AsLongLong(stop);
    Py_DECREF(start);
    Py_DECREF(stop);
    if (PyErr_Occurred())
        return -1;
    if (*last < *first)
        *last = *first;
    return 0;
}

/* found[rule_id].extend(pairs) for each of the rule's ids (found: a defaultdict(list)). */
static int report(PyObject *found, PyObject *rule_ids, PyObject *pairs) {
    PyObject *ids = PySequence_Tuple(rule_ids);
    if (ids == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(ids); k++) {
        PyObject *list = PyObject_GetItem(found, PyTuple_GET_ITEM(ids, k));
        if (list == NULL)
            goto fail;
        int bad;
        if (PyList_CheckExact(list)) {
            bad = PyList_SetSlice(list, PyList_GET_SIZE(list), PyList_GET_SIZE(list), pairs) < 0;
        } else {
            PyObject *done = PyObject_CallMethod(list, "extend", "O", pairs);
            bad = done == NULL;
            Py_XDECREF(done);
        }
        Py_DECREF(list);
        if (bad)
            goto fail;
    }
    Py_DECREF(ids);
    return 0;
fail:
    Py_DECREF(ids);
    return -1;
}

/* tables.get(day), made an empty dict there when absent: a new reference. */
static PyObject *table_of(PyObject *tables, PyObject *day) {
    PyObject *table = PyDict_GetItemWithError(tables, day);
    if (table != NULL)
        return Py_NewRef(table);
    if (PyErr_Occurred())
        return NULL;
    table = PyDict_New();
    if (table == NULL || PyDict_SetItem(tables, day, table) < 0) {
        Py_XDECREF(table);
        return NULL;
    }
    return table;
}

/* File the candidate in one leg's tables of a rule matched by date span, under days
   [first, last) (or ``day`` alone when given), kept ``window`` days. */
static int file_joined(PyObject *ctx, PyObject *tables, PyObject *day, long long first, long long last, PyObject *window,
                       PyObject *event_id, PyObject *date, int dated, PyObject *horizon, int *late) {
    if (!PyDict_Check(tables)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a rule's day tables must be a dict");
        return -1;
    }
    PyObject *expires = expires_at(window, date, dated), *token = NULL, *filed = NULL;
    if (expires == NULL)
        return -1;
    if (window != Py_None && note_late(expires, horizon, dated, late, 0) < 0)
        goto fail;
    token = PyIter_Next(PyTuple_GET_ITEM(ctx, CTX_TOKENS));
    if (token == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "pattern_file: the tokens ran out");
        goto fail;
    }
    PyObject *all_filed = PyTuple_GET_ITEM(ctx, CTX_JOINED_FILED);
    filed = PyDict_GetItemWithError(all_filed, expires);
    if (filed != NULL) {
        Py_INCREF(filed);
    } else {
        if (PyErr_Occurred())
            goto fail;
        filed = PyList_New(0);
        if (filed == NULL || PyDict_SetItem(all_filed, expires, filed) < 0)
            goto fail;
        if (window != Py_None) {
            PyObject *done = PyObject_CallFunctionObjArgs(PyTuple_GET_ITEM(ctx, CTX_HEAPPUSH), PyTuple_GET_ITEM(ctx, CTX_JOINED_EXPIRY), expires, NULL);
            if (done == NULL)
                goto fail;
            Py_DECREF(done);
        }
    }
    if (!PyList_Check(filed)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a filing must be a list");
        goto fail;
    }
    for (long long one = first; day != NULL || one < last; one++) {
        PyObject *key = day != NULL ? Py_NewRef(day) : PyLong_FromLongLong(one);
        if (key == NULL)
            goto fail;
        PyObject *table = table_of(tables, key);
        PyObject *entry = table == NULL ? NULL : PyTuple_Pack(3, tables, key, token);
        int bad = entry == NULL || PyDict_SetItem(table, token, event_id) < 0 || PyList_Append(filed, entry) < 0;
        Py_XDECREF(entry);
        Py_XDECREF(table);
        Py_DECREF(key);
        if (bad)
            goto fail;
        if (day != NULL)
            break;
    }
    Py_DECREF(expires);
    Py_DECREF(token);
    Py_DECREF(filed);
    return 0;
fail:
    Py_DECREF(expires);
    Py_XDECREF(token);
    Py_XDECREF(filed);
    return -1;
}

/* Append to ``pairs`` (event_id, other) -- or (other, event_id) when ``after`` -- for every
   event id in table ``others`` (a dict of token -> event id), in its order. */
static int pair_with(PyObject *pairs, PyObject *others, PyObject *event_id, int after) {
    if (!PyDict_Check(others)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a day table must be a dict");
        return -1;
    }
    PyObject *snapshot = PyDict_Values(others);
    if (snapshot == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(snapshot); k++) {
        PyObject *other = PyList_GET_ITEM(snapshot, k);
        PyObject *pair = after ? PyTuple_Pack(2, other, event_id) : PyTuple_Pack(2, event_id, other);
        if (pair == NULL || PyList_Append(pairs, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(snapshot);
            return -1;
        }
        Py_DECREF(pair);
    }
    Py_DECREF(snapshot);
    return 0;
}

/* PatternStage._join for one candidate: ``joined`` is its list of (rule, plays leg 0, plays leg 1). */
static int join_dated(PyObject *ctx, PyObject *joined, PyObject *values, PyObject *event_id, PyObject *date, int dated,
                      PyObject *horizon, PyObject *found, int *late) {
    PyObject *rules = PySequence_Tuple(joined);
    if (rules == NULL)
        return -1;
    PyObject *bounds = NULL, *key = NULL, *covered = NULL, *at = NULL, *rule_ids = NULL, *windows = NULL, *pairs = NULL;
    for (Py_ssize_t r = 0; r < PyTuple_GET_SIZE(rules); r++) {
        PyObject *route = PyTuple_GET_ITEM(rules, r);
        if (!is_tuple_of(route, 3, "a date-span route"))
            goto fail;
        PyObject *j = PyTuple_GET_ITEM(route, 0);
        int first = PyObject_IsTrue(PyTuple_GET_ITEM(route, 1)), second = PyObject_IsTrue(PyTuple_GET_ITEM(route, 2));
        if (first < 0 || second < 0)
            goto fail;
        bounds = PyObject_GetAttr(j, N_BOUNDS);
        key = PyObject_GetAttr(j, N_KEY);
        covered = PyObject_GetAttr(j, N_COVERED);
        at = PyObject_GetAttr(j, N_AT);
        rule_ids = PyObject_GetAttr(j, N_RULE_IDS);
        windows = PyObject_GetAttr(j, N_WINDOWS);
        pairs = PyList_New(0);
        if (bounds == NULL || key == NULL || covered == NULL || at == NULL || rule_ids == NULL || windows == NULL || pairs == NULL)
            goto fail;
        if (!PyDict_Check(covered) || !PyDict_Check(at)) {
            PyErr_SetString(PyExc_TypeError, "pattern_file: a rule's day tables must be dicts");
            goto fail;
        }
        long long low = 0, high = 0;
        if (first && joined_span(j, bounds, values, &low, &high) < 0)
            goto fail;
        for (long long one = low; one < high; one++) {
            PyObject *day = PyLong_FromLongLong(one);
            if (day == NULL)
                goto fail;
            PyObject *others = PyDict_GetItemWithError(at, day);
            Py_DECREF(day);
            if (others == NULL) {
                if (PyErr_Occurred())
                    goto fail;
                continue;
            }
            Py_INCREF(others);
            int bad = PyObject_IsTrue(others) > 0 && pair_with(pairs, others, event_id, 0) < 0;
            Py_DECREF(others);
            if (bad || PyErr_Occurred())
                goto fail;
        }
        PyObject *day = NULL;
        if (second) {
            day = PyDict_GetItemWithError(values, key);
            if (day == NULL && PyErr_Occurred())
                goto fail;
            if (day == Py_None)
                day = NULL;
        }
        Py_XINCREF(day);
        if (day != NULL) {
            PyObject *others = PyDict_GetItemWithError(covered, day);
            if (others == NULL && PyErr_Occurred()) {
                Py_DECREF(day);
                goto fail;
            }
            Py_XINCREF(others);
            int bad = others != NULL && PyObject_IsTrue(others) > 0 && pair_with(pairs, others, event_id, 1) < 0;
            Py_XDECREF(others);
            if (bad || PyErr_Occurred()) {
                Py_DECREF(day);
                goto fail;
            }
        }
        if (PyList_GET_SIZE(pairs) && report(found, rule_ids, pairs) < 0) {
            Py_XDECREF(day);
            goto fail;
        }
        /* filed after pairing: a candidate of both legs never pairs with itself */
        PyObject *window0 = item_at(windows, 0, "a rule's windows"), *window1 = window0 ? item_at(windows, 1, "a rule's windows") : NULL;
        int bad = window1 == NULL;
        if (!bad && low < high) {
            Py_INCREF(window0);
            bad = file_joined(ctx, covered, NULL, low, high, window0, event_id, date, dated, horizon, late) < 0;
            Py_DECREF(window0);
        }
        if (!bad && day != NULL) {
            Py_INCREF(window1);
            bad = file_joined(ctx, at, day, 0, 0, window1, event_id, date, dated, horizon, late) < 0;
            Py_DECREF(window1);
        }
        Py_XDECREF(day);
        if (bad)
            goto fail;
        Py_CLEAR(bounds);
        Py_CLEAR(key);
        Py_CLEAR(covered);
        Py_CLEAR(at);
        Py_CLEAR(rule_ids);
        Py_CLEAR(windows);
        Py_CLEAR(pairs);
    }
    Py_DECREF(rules);
    return 0;
fail:
    Py_XDECREF(bounds);
    Py_XDECREF(key);
    Py_XDECREF(covered);
    Py_XDECREF(at);
    Py_XDECREF(rule_ids);
    Py_XDECREF(windows);
    Py_XDECREF(pairs);
    Py_DECREF(rules);
    return -1;
}

/* counter[key] += 1, as Python does it on a Counter (its __missing__ gives 0). */
static int count_one(PyObject *counter, PyObject *key) {
    PyObject *old = PyObject_GetItem(counter, key);
    if (old == NULL)
        return -1;
    PyObject *one = PyLong_FromLong(1);
    PyObject *new = one == NULL ? NULL : PyNumber_InPlaceAdd(old, one);
    Py_DECREF(old);
    Py_XDECREF(one);
    if (new == NULL)
        return -1;
    int done = PyObject_SetItem(counter, key, new);
    Py_DECREF(new);
    return done;
}

/* One candidate's durable doc and filing in pattern ruleset s (one entry of its route). */
static int file_doc(PyObject *ctx, PyObject *entry, PyObject *seq, PyObject *values, PyObject *event_id, PyObject *date, int dated,
                    PyObject *horizon, PyObject *per_set, PyObject *flags_of, int *late) {
    if (!is_tuple_of(entry, 5, "a route entry"))
        return -1;
    Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
    if (s == -1 && PyErr_Occurred())
        return -1;
    PyObject *flag_items = PyTuple_GET_ITEM(entry, 1), *window = PyTuple_GET_ITEM(entry, 2), *join_keys = PyTuple_GET_ITEM(entry, 3),
             *mine = PyTuple_GET_ITEM(entry, 4);
    if (!PyDict_Check(flag_items) || !PyTuple_Check(join_keys)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a route entry's flags must be a dict and its join keys a tuple");
        return -1;
    }
    PyObject *set_docs = item_at(per_set, s, "per_set"), *set_flags = set_docs ? item_at(flags_of, s, "flags_of") : NULL;
    PyObject *live = set_flags ? item_at(PyTuple_GET_ITEM(ctx, CTX_LIVE), s, "live") : NULL;
    PyObject *live_flags = live ? item_at(PyTuple_GET_ITEM(ctx, CTX_LIVE_FLAGS), s, "live_flags") : NULL;
    PyObject *filed_flags = live_flags ? item_at(PyTuple_GET_ITEM(ctx, CTX_FILED_FLAGS), s, "filed_flags") : NULL;
    PyObject *expiry = filed_flags ? item_at(PyTuple_GET_ITEM(ctx, CTX_EXPIRY), s, "expiry") : NULL;
    if (expiry == NULL)
        return -1;
    if (!PyList_Check(set_docs) || !PyList_Check(set_flags) || !PyDict_Check(live) || !PyDict_Check(filed_flags)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a ruleset's docs and flags must be lists, its filings dicts");
        return -1;
    }
    /* every container this entry writes is held: Python code called below (a date's __add__,
       heappush's comparisons, a Counter's __missing__) cannot free it under us */
    PyObject *held = PyTuple_Pack(6, set_docs, set_flags, live, live_flags, filed_flags, expiry);
    if (held == NULL)
        return -1;
    PyObject *doc = PyDict_New(), *expires = NULL, *filed = NULL;
    if (doc == NULL || PyDict_SetItem(doc, N_ID, seq) < 0 || PyDict_SetItem(doc, PyTuple_GET_ITEM(ctx, CTX_SEQ), seq) < 0 ||
        PyDict_Update(doc, flag_items) < 0)
        goto fail;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(join_keys); k++) {
        PyObject *key = PyTuple_GET_ITEM(join_keys, k);
        PyObject *value = PyDict_GetItemWithError(values, key);
        if (value == NULL) {
            if (PyErr_Occurred())
                goto fail;
            continue;
        }
        if (PyDict_SetItem(doc, key, value) < 0)
            goto fail;
    }
    Py_ssize_t most = PyLong_AsSsize_t(PyTuple_GET_ITEM(ctx, CTX_MAX_KEYS));
    if (most == -1 && PyErr_Occurred())
        goto fail;
    if (PyDict_GET_SIZE(doc) > most) {
        PyObject *message = PyUnicode_FromFormat("event '%S' would reach durable-rules with %zd properties; it holds at most %zd",
                                                 event_id, PyDict_GET_SIZE(doc), most);
        if (message != NULL) {
            PyErr_SetObject(PyTuple_GET_ITEM(ctx, CTX_LIMIT_ERROR), message);
            Py_DECREF(message);
        }
        goto fail;
    }
    if (PyList_Append(set_docs, doc) < 0 || PyList_Append(set_flags, mine) < 0)
        goto fail;
    expires = expires_at(window, date, dated);
    if (expires == NULL)
        goto fail;
    if (window != Py_None && note_late(expires, horizon, dated, late, 1) < 0)
        goto fail;
    filed = PyDict_GetItemWithError(live, expires);
    if (filed != NULL) {
        Py_INCREF(filed);
    } else {
        if (PyErr_Occurred())
            goto fail;
        filed = PyDict_New();
        PyObject *counter = filed == NULL ? NULL : PyObject_CallNoArgs(PyTuple_GET_ITEM(ctx, CTX_COUNTER));
        int bad = counter == NULL || PyDict_SetItem(live, expires, filed) < 0 || PyDict_SetItem(filed_flags, expires, counter) < 0;
        Py_XDECREF(counter);
        if (bad)
            goto fail;
        if (window != Py_None) {
            PyObject *done = PyObject_CallFunctionObjArgs(PyTuple_GET_ITEM(ctx, CTX_HEAPPUSH), expiry, expires, NULL);
            if (done == NULL)
                goto fail;
            Py_DECREF(done);
        }
    }
    if (!PyDict_Check(filed)) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: a filing must be a dict");
        goto fail;
    }
    if (PyDict_SetItem(filed, seq, doc) < 0 || count_one(live_flags, mine) < 0)
        goto fail;
    PyObject *counter = PyDict_GetItemWithError(filed_flags, expires);
    if (counter == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_KeyError, "pattern_file: a filing's counts are gone");
        goto fail;
    }
    Py_INCREF(counter);
    int bad = count_one(counter, mine) < 0;
    Py_DECREF(counter);
    if (bad)
        goto fail;
    Py_DECREF(doc);
    Py_DECREF(expires);
    Py_DECREF(filed);
    Py_DECREF(held);
    return 0;
fail:
    Py_XDECREF(doc);
    Py_XDECREF(expires);
    Py_XDECREF(filed);
    Py_DECREF(held);
    return -1;
}

/* pattern_file(ctx, candidates, read, at, kinds, positions, horizon, per_set, flags_of, found):
   PatternStage._file in C; returns (candidates counted, late ones). */
static PyObject *pattern_file(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *ctx, *candidates, *read, *at, *kinds, *positions, *horizon, *per_set, *flags_of, *found;
    if (!PyArg_ParseTuple(args, "O!OOO!O!OOOOO:pattern_file", &PyTuple_Type, &ctx, &candidates, &read, &PyList_Type, &at, &PyList_Type,
                          &kinds, &positions, &horizon, &per_set, &flags_of, &found))
        return NULL;
    if (PyTuple_GET_SIZE(ctx) != CTX_COUNT || !PyDict_Check(PyTuple_GET_ITEM(ctx, CTX_ROUTES)) ||
        !PyDict_Check(PyTuple_GET_ITEM(ctx, CTX_JOINED_ROUTES)) || !PyDict_Check(PyTuple_GET_ITEM(ctx, CTX_RETAINED)) ||
        !PyDict_Check(PyTuple_GET_ITEM(ctx, CTX_EVENT_OF)) || !PyDict_Check(PyTuple_GET_ITEM(ctx, CTX_JOINED_FILED))) {
        PyErr_SetString(PyExc_TypeError, "pattern_file: the context is not the stage's");
        return NULL;
    }
    if (PyList_GET_SIZE(at) != PyList_GET_SIZE(kinds)) {
        PyErr_SetString(PyExc_ValueError, "pattern_file: one position per join kind");
        return NULL;
    }
    if (pattern_names() < 0)
        return NULL;
    PyObject *batch = PySequence_Tuple(candidates); /* a copy: called Python code may change the list */
    if (batch == NULL)
        return NULL;
    PyObject *routes = PyTuple_GET_ITEM(ctx, CTX_ROUTES), *joined_routes = PyTuple_GET_ITEM(ctx, CTX_JOINED_ROUTES);
    Py_ssize_t counted = 0, late_count = 0;
    PyObject *route = NULL, *joined = NULL, *values = NULL, *seq = NULL, *entries = NULL;
    for (Py_ssize_t n = 0; n < PyTuple_GET_SIZE(batch); n++) {
        PyObject *candidate = PyTuple_GET_ITEM(batch, n);
        if (!is_tuple_of(candidate, 4, "a candidate"))
            goto fail;
        PyObject *row = PyTuple_GET_ITEM(candidate, 0), *event_id = PyTuple_GET_ITEM(candidate, 1), *flags = PyTuple_GET_ITEM(candidate, 2),
                 *date = PyTuple_GET_ITEM(candidate, 3);
        route = PyDict_GetItemWithError(routes, flags);
        if (route != NULL) {
            Py_INCREF(route);
        } else {
            if (PyErr_Occurred())
                goto fail;
            route = PyObject_CallOneArg(PyTuple_GET_ITEM(ctx, CTX_ROUTES_FOR), flags);
            if (route == NULL)
                goto fail;
        }
        joined = PyDict_GetItemWithError(joined_routes, flags);
        if (joined == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, flags);
            goto fail;
        }
        Py_INCREF(joined);
        int has_route = PyObject_IsTrue(route), has_joined = PyObject_IsTrue(joined);
        if (has_route < 0 || has_joined < 0)
            goto fail;
        if (!has_route && !has_joined) {
            Py_CLEAR(route);
            Py_CLEAR(joined);
            continue;
        }
        values = join_values(ctx, row, read, at, kinds, event_id);
        if (values == NULL)
            goto fail;
        int dated = is_dated(ctx, date);
        if (dated < 0)
            goto fail;
        int late = 0;
        if (has_joined) {
            if (join_dated(ctx, joined, values, event_id, date, dated, horizon, found, &late) < 0)
                goto fail;
            if (!has_route) {
                counted++;
                late_count += late;
                Py_CLEAR(route);
                Py_CLEAR(joined);
                Py_CLEAR(values);
                continue;
            }
        }
        seq = PyObject_CallNoArgs(PyTuple_GET_ITEM(ctx, CTX_TAKE));
        if (seq == NULL)
            goto fail;
        entries = PySequence_Tuple(route);
        if (entries == NULL)
            goto fail;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(entries); k++)
            if (file_doc(ctx, PyTuple_GET_ITEM(entries, k), seq, values, event_id, date, dated, horizon, per_set, flags_of, &late) < 0)
                goto fail;
        counted++;
        late_count += late;
        PyObject *entry = Py_BuildValue("[OOnO]", event_id, row, PyTuple_GET_SIZE(entries), positions);
        if (entry == NULL)
            goto fail;
        int bad = PyDict_SetItem(PyTuple_GET_ITEM(ctx, CTX_RETAINED), seq, entry) < 0 ||
                  PyDict_SetItem(PyTuple_GET_ITEM(ctx, CTX_EVENT_OF), seq, event_id) < 0;
        Py_DECREF(entry);
        if (bad)
            goto fail;
        Py_CLEAR(route);
        Py_CLEAR(joined);
        Py_CLEAR(values);
        Py_CLEAR(seq);
        Py_CLEAR(entries);
    }
    Py_DECREF(batch);
    return Py_BuildValue("(nn)", counted, late_count);
fail:
    Py_XDECREF(route);
    Py_XDECREF(joined);
    Py_XDECREF(values);
    Py_XDECREF(seq);
    Py_XDECREF(entries);
    Py_DECREF(batch);
    return NULL;
}

/* joined_expire(heap, filed, before, heappop): patterns.joined_expire in C. Every candidate of a
   rule matched by date span is filed under each day of its span (up to 31), so expiring them is
   the stage's most repeated step: here one call per slice. */
static PyObject *joined_expire(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *heap, *filed, *before, *heappop;
    if (!PyArg_ParseTuple(args, "O!O!OO:joined_expire", &PyList_Type, &heap, &PyDict_Type, &filed, &before, &heappop))
        return NULL;
    while (PyList_GET_SIZE(heap)) {
        int due = PyObject_RichCompareBool(PyList_GET_ITEM(heap, 0), before, Py_LT);
        if (due < 0)
            return NULL;
        if (!due)
            break;
        PyObject *expires = PyObject_CallOneArg(heappop, heap);
        if (expires == NULL)
            return NULL;
        PyObject *entries = PyDict_GetItemWithError(filed, expires);
        if (entries == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, expires);
            Py_DECREF(expires);
            return NULL;
        }
        Py_INCREF(entries);
        int bad = PyDict_DelItem(filed, expires) < 0;
        Py_DECREF(expires);
        if (!bad && !PyList_Check(entries)) {
            PyErr_SetString(PyExc_TypeError, "joined_expire: a filing must be a list");
            bad = 1;
        }
        for (Py_ssize_t k = 0; !bad && k < PyList_GET_SIZE(entries); k++) {
            PyObject *entry = PyList_GET_ITEM(entries, k);
            if (!is_tuple_of(entry, 3, "a filing's entry")) {
                bad = 1;
                break;
            }
            Py_INCREF(entry);
            PyObject *tables = PyTuple_GET_ITEM(entry, 0), *day = PyTuple_GET_ITEM(entry, 1), *token = PyTuple_GET_ITEM(entry, 2);
            PyObject *table = PyObject_GetItem(tables, day);
            bad = table == NULL || PyObject_DelItem(table, token) < 0;
            if (!bad) {
                Py_ssize_t left = PyObject_Length(table);
                bad = left < 0 || (left == 0 && PyObject_DelItem(tables, day) < 0);
            }
            Py_XDECREF(table);
            Py_DECREF(entry);
        }
        Py_DECREF(entries);
        if (bad)
            return NULL;
    }
    Py_RETURN_NONE;
}

/* release_expired(expired, waiting, waiting_by, dead, retained, event_of, hashes, held):
   patterns.release_expired in C; returns (let go, forgotten). */
static PyObject *release_expired(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *expired, *waiting, *waiting_by, *dead, *retained, *event_of, *hashes, *held;
    if (!PyArg_ParseTuple(args, "OO!O!O!O!O!O!O!:release_expired", &expired, &PyDict_Type, &waiting, &PyDict_Type, &waiting_by, &PyList_Type,
                          &dead, &PyDict_Type, &retained, &PyDict_Type, &event_of, &PyDict_Type, &hashes, &PyDict_Type, &held))
        return NULL;
    PyObject *seqs = PySequence_List(expired); /* its keys, when a dict: a copy, in its order */
    if (seqs == NULL)
        return NULL;
    Py_ssize_t let_go = 0, dropped = 0;
    PyObject *entry = NULL, *kept = NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(seqs); k++) {
        PyObject *seq = PyList_GET_ITEM(seqs, k);
        entry = PyDict_GetItemWithError(waiting, seq);
        if (entry == NULL) {
            if (PyErr_Occurred() || PyList_Append(dead, seq) < 0)
                goto fail;
            continue;
        }
        Py_INCREF(entry);
        if (PyDict_DelItem(waiting, seq) < 0)
            goto fail;
        if (!is_tuple_of(entry, 2, "a waiting candidate"))
            goto fail;
        PyObject *mine = PyTuple_GET_ITEM(entry, 1);
        PyObject *group = PyDict_GetItemWithError(waiting_by, mine);
        if (group == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, mine);
            goto fail;
        }
        if (!PyDict_Check(group)) {
            PyErr_SetString(PyExc_TypeError, "release_expired: a group must be a dict");
            goto fail;
        }
        if (PyDict_DelItem(group, seq) < 0)
            goto fail;
        if (PyDict_GET_SIZE(group) == 0 && PyDict_DelItem(waiting_by, mine) < 0)
            goto fail;
        Py_CLEAR(entry);
        let_go++;
        kept = PyDict_GetItemWithError(retained, seq);
        if (kept == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, seq);
            goto fail;
        }
        Py_INCREF(kept);
        if (!PyList_Check(kept) || PyList_GET_SIZE(kept) < 3) {
            PyErr_SetString(PyExc_TypeError, "release_expired: a retained entry must be a list of 4");
            goto fail;
        }
        PyObject *one = PyLong_FromLong(1);
        PyObject *count = one == NULL ? NULL : PyNumber_Subtract(PyList_GET_ITEM(kept, 2), one);
        Py_XDECREF(one);
        if (count == NULL)
            goto fail;
        if (PyList_GET_SIZE(kept) < 3) { /* the subtraction ran Python code */
            Py_DECREF(count);
            PyErr_SetString(PyExc_TypeError, "release_expired: a retained entry must be a list of 4");
            goto fail;
        }
        if (PyList_SetItem(kept, 2, Py_NewRef(count)) < 0) {
            Py_DECREF(count);
            goto fail;
        }
        int zero = PyObject_Not(count);
        Py_DECREF(count);
        Py_CLEAR(kept);
        if (zero < 0)
            goto fail;
        if (zero) {
            if (PyDict_DelItem(retained, seq) < 0 || PyDict_DelItem(event_of, seq) < 0)
                goto fail;
            PyObject *hash = PyDict_GetItemWithError(hashes, seq);
            if (hash == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, seq);
                goto fail;
            }
            Py_INCREF(hash);
            int bad = PyDict_DelItem(hashes, seq) < 0 || PyDict_DelItem(held, hash) < 0;
            Py_DECREF(hash);
            if (bad)
                goto fail;
            dropped++;
        }
    }
    Py_DECREF(seqs);
    return Py_BuildValue("(nn)", let_go, dropped);
fail:
    Py_XDECREF(entry);
    Py_XDECREF(kept);
    Py_DECREF(seqs);
    return NULL;
}

/* take_id(numbers, held, hashes, reserved, id_hash, error): session.FactIds.take in C, its
   Python code the fallback and the oracle (tests/test_native_patterns.py). The next number of
   the iterator ``numbers`` whose durable hash (FNV-1 of its decimal text, session.id_hash) no
   held id and no reserved one has; held[hash] = number, hashes[number] = hash. A number that is
   not an int from 0 to 2**64 - 1 is hashed by ``id_hash``. Raises ``error`` when they run out. */
static PyObject *take_id(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *numbers, *held, *hashes, *reserved, *id_hash, *error;
    if (!PyArg_ParseTuple(args, "OO!O!OOO:take_id", &numbers, &PyDict_Type, &held, &PyDict_Type, &hashes, &reserved, &id_hash, &error))
        return NULL;
    if (!PyIter_Check(numbers)) {
        PyErr_SetString(PyExc_TypeError, "take_id: numbers must be an iterator");
        return NULL;
    }
    PyObject *number;
    while ((number = PyIter_Next(numbers)) != NULL) {
        PyObject *hash = NULL;
        unsigned long long value = 0;
        int plain = 0;
        if (PyLong_CheckExact(number)) {
            value = PyLong_AsUnsignedLongLong(number);
            if (value == (unsigned long long)-1 && PyErr_Occurred())
                PyErr_Clear(); /* negative or too big: id_hash below */
            else
                plain = 1;
        }
        if (plain) {
            char digits[24];
            int count = 0;
            do {
                digits[count++] = (char)('0' + value % 10);
                value /= 10;
            } while (value);
            uint32_t h = 0x811C9DC5u;
            while (count--)
                h = (h ^ (uint32_t)(unsigned char)digits[count]) * 16777619u;
            hash = PyLong_FromUnsignedLong(h);
        } else {
            hash = PyObject_CallOneArg(id_hash, number);
        }
        if (hash == NULL)
            goto fail;
        int taken = PyDict_Contains(held, hash);
        if (taken == 0)
            taken = PySequence_Contains(reserved, hash);
        if (taken < 0) {
            Py_DECREF(hash);
            goto fail;
        }
        if (!taken) {
            int bad = PyDict_SetItem(held, hash, number) < 0 || PyDict_SetItem(hashes, number, hash) < 0;
            Py_DECREF(hash);
            if (bad)
                goto fail;
            return number;
        }
        Py_DECREF(hash);
        Py_DECREF(number);
    }
    if (!PyErr_Occurred())
        PyErr_SetString(error, "durable-rules fact ids ran out");
    return NULL;
fail:
    Py_DECREF(number);
    return NULL;
}

/* ---- The scorer's counting of firings: scorer.Scorer.score, one call per rule ------------------

   A rule's firings (tuples of event ids, one per leg) are counted by what their points depend on:
   the period of the leg that completes the firing (the latest (day, id, period) triple of its
   legs' records), the weakest leg's source weight and, for scaled points, the values the points
   read (``scales``: (leg, position) pairs into a record's values). In Python that is a list of
   records per leg, a few C-level maps and a Counter of new tuples: about a microsecond a firing,
   and a backtest has two or three firings an event. Here each firing reads its legs' records in
   place and is counted through a small table of recent counts looked up by identity (the events
   of a day share their period object, and equal source grades share their weight object), backed
   by a dict keyed by the same tuples as the Counter: a key equal to another is the same count, as
   there, and keeps the first one seen, as there. Nothing is written to ``target`` until every
   firing is counted, and a record, id or value of a type the fast path does not compare exactly
   (anything but str ids, int days and periods, float weights, tuple records, and None, bool, int,
   float or str values), or a leg without a record, returns False before anything is written: the Python code then counts the rule, as it does without the
   extension (its oracle, tests/test_native.py). */

#define TALLY_TABLE 256 /* a power of two */
#define TALLY_MAX_LEGS 16
#define TALLY_MAX_SCALES 16

typedef struct {
    PyObject *period, *weight, *read; /* compared by identity: held by the keys made (``made``) */
    Py_ssize_t at;                    /* the count's index, -1 for an empty entry */
} TallySeen;

/* target[key] = target.get(key, 0) + count */
static int tally_add(PyObject *target, PyObject *key, Py_ssize_t count) {
    PyObject *held = PyDict_GetItemWithError(target, key);
    if (held == NULL && PyErr_Occurred())
        return -1;
    PyObject *now;
    if (held == NULL) {
        now = PyLong_FromSsize_t(count);
    } else {
        PyObject *add = PyLong_FromSsize_t(count);
        if (add == NULL)
            return -1;
        now = PyNumber_Add(held, add);
        Py_DECREF(add);
    }
    if (now == NULL)
        return -1;
    int failed = PyDict_SetItem(target, key, now);
    Py_DECREF(now);
    return failed;
}

/* Whether a record is one the fast path reads exactly: (str id, int day, int period, float
   weight, tuple values, ...). */
static int plain_record(PyObject *record) {
    return PyTuple_CheckExact(record) && PyTuple_GET_SIZE(record) >= 5 && PyUnicode_CheckExact(PyTuple_GET_ITEM(record, 0)) &&
           PyLong_CheckExact(PyTuple_GET_ITEM(record, 1)) && PyLong_CheckExact(PyTuple_GET_ITEM(record, 2)) &&
           PyFloat_CheckExact(PyTuple_GET_ITEM(record, 3)) && PyTuple_CheckExact(PyTuple_GET_ITEM(record, 4));
}

/* A value the fast path compares as a key without running Python code. */
static int plain_value(PyObject *value) {
    return value == Py_None || PyBool_Check(value) || PyLong_CheckExact(value) || PyFloat_CheckExact(value) || PyUnicode_CheckExact(value);
}

/* a > b for exact ints or strs, as Python compares them; -1 on error */
static int greater_than(PyObject *a, PyObject *b) {
    if (a == b)
        return 0;
    return PyObject_RichCompareBool(a, b, Py_GT);
}

/* tally_firings(records, tuples, scales, first_period, rule_id, target[, recent]): Scorer.score's
   counting of one rule's firings into ``target`` (the scorer's ``tally`` where ``scales`` is None,
   fixed points; else its ``scaled``). ``recent``, some of ``records`` (the last batch's), is read
   first: the counting is bound by these look-ups, and a small dict just made is still in the
   processor's cache where a year of records is not (-29 % of this function's time on 200,000
   events). True when counted, False (nothing written) where the Python path
   must count them (a leg without a record among them: the KeyError is the Python path's). */
static PyObject *tally_firings(PyObject *self, PyObject *args) {
    PyObject *records, *tuples, *scales, *first_period, *rule_id, *target, *recent = NULL;
    if (!PyArg_ParseTuple(args, "O!O!OO!OO!|O!:tally_firings", &PyDict_Type, &records, &PyList_Type, &tuples, &scales, &PyLong_Type, &first_period,
                          &rule_id, &PyDict_Type, &target, &PyDict_Type, &recent))
        return NULL;
    Py_ssize_t picks_leg[TALLY_MAX_SCALES], picks_at[TALLY_MAX_SCALES], nscales = -1; /* -1: fixed points */
    if (scales != Py_None) {
        if (!PyTuple_CheckExact(scales) || PyTuple_GET_SIZE(scales) > TALLY_MAX_SCALES)
            Py_RETURN_FALSE;
        nscales = PyTuple_GET_SIZE(scales);
        for (Py_ssize_t s = 0; s < nscales; s++) {
            PyObject *pair = PyTuple_GET_ITEM(scales, s);
            if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyLong_CheckExact(PyTuple_GET_ITEM(pair, 0)) ||
                !PyLong_CheckExact(PyTuple_GET_ITEM(pair, 1)))
                Py_RETURN_FALSE;
            picks_leg[s] = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
            picks_at[s] = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
            if ((picks_leg[s] == -1 || picks_at[s] == -1) && PyErr_Occurred()) {
                PyErr_Clear();
                Py_RETURN_FALSE;
            }
            if (picks_leg[s] < 0 || picks_at[s] < 0)
                Py_RETURN_FALSE;
        }
    }
    if (PyList_GET_SIZE(tuples) == 0)
        Py_RETURN_TRUE;
    PyObject *first = PyList_GET_ITEM(tuples, 0);
    if (!PyTuple_CheckExact(first) || PyTuple_GET_SIZE(first) < 1 || PyTuple_GET_SIZE(first) > TALLY_MAX_LEGS)
        Py_RETURN_FALSE;
    Py_ssize_t legs = PyTuple_GET_SIZE(first);
    for (Py_ssize_t s = 0; s < nscales; s++)
        if (picks_leg[s] >= legs)
            Py_RETURN_FALSE;

    TallySeen *seen = PyMem_Calloc(TALLY_TABLE, sizeof(TallySeen));
    Py_ssize_t *counts = NULL, capacity = 0;
    PyObject *held[TALLY_MAX_LEGS] = {NULL}, *values[TALLY_MAX_SCALES];
    /* keys: the counts' keys in the order first seen, as the Counter keeps them; index: key ->
       its index (a key equal to another is the same count); made: every key made here, which
       holds what ``seen`` compares by identity */
    PyObject *keys = PyList_New(0), *index = PyDict_New(), *made = PyList_New(0), *result = NULL;
    Py_INCREF(tuples);
    if (seen == NULL || keys == NULL || index == NULL || made == NULL) {
        if (seen == NULL)
            PyErr_NoMemory();
        goto done;
    }
    for (int k = 0; k < TALLY_TABLE; k++)
        seen[k].at = -1;
    for (Py_ssize_t n = 0; n < PyList_GET_SIZE(tuples); n++) {
        PyObject *ids = PyList_GET_ITEM(tuples, n);
        if (!PyTuple_CheckExact(ids) || PyTuple_GET_SIZE(ids) != legs) {
            result = Py_NewRef(Py_False);
            goto done;
        }
        Py_INCREF(ids);
        int plain = 1, failed = 0;
        for (Py_ssize_t leg = 0; leg < legs && plain && !failed; leg++) {
            PyObject *event_id = PyTuple_GET_ITEM(ids, leg);
            if (!PyUnicode_CheckExact(event_id)) {
                plain = 0;
                break;
            }
            PyObject *record = recent != NULL ? PyDict_GetItemWithError(recent, event_id) : NULL;
            if (record == NULL && !PyErr_Occurred())
                record = PyDict_GetItemWithError(records, event_id);
            if (record == NULL) {
                /* a leg without a record: the Python path raises its KeyError, for the same id */
                if (PyErr_Occurred())
                    failed = 1;
                else
                    plain = 0;
            } else if (!plain_record(record)) {
                plain = 0;
            } else {
                held[leg] = Py_NewRef(record);
            }
        }
        Py_DECREF(ids);
        /* the completing leg: the largest (day, id, period) triple, the first of equals (max);
           the weakest weight, the first of equals (min) */
        PyObject *best = held[0], *weight = NULL, *period = NULL;
        if (plain && !failed) {
            weight = PyTuple_GET_ITEM(best, 3);
            for (Py_ssize_t leg = 1; leg < legs && !failed; leg++) {
                PyObject *record = held[leg];
                PyObject *day = PyTuple_GET_ITEM(record, 1), *best_day = PyTuple_GET_ITEM(best, 1);
                int greater, same = day == best_day ? 1 : PyObject_RichCompareBool(day, best_day, Py_EQ);
                if (same < 0) {
                    failed = 1;
                    break;
                }
                if (!same) {
                    greater = greater_than(day, best_day);
                } else {
                    PyObject *id = PyTuple_GET_ITEM(record, 0), *best_id = PyTuple_GET_ITEM(best, 0);
                    same = id == best_id ? 1 : PyObject_RichCompareBool(id, best_id, Py_EQ);
                    greater = same < 0 ? -1 : !same ? greater_than(id, best_id) : greater_than(PyTuple_GET_ITEM(record, 2), PyTuple_GET_ITEM(best, 2));
                }
                if (greater < 0)
                    failed = 1;
                else if (greater)
                    best = record;
                PyObject *other = PyTuple_GET_ITEM(record, 3);
                if (PyFloat_AS_DOUBLE(other) < PyFloat_AS_DOUBLE(weight))
                    weight = other;
            }
            period = PyTuple_GET_ITEM(best, 2);
            for (Py_ssize_t s = 0; s < nscales && plain; s++) {
                PyObject *read = PyTuple_GET_ITEM(held[picks_leg[s]], 4);
                if (picks_at[s] >= PyTuple_GET_SIZE(read) || !plain_value(PyTuple_GET_ITEM(read, picks_at[s])))
                    plain = 0;
                else
                    values[s] = PyTuple_GET_ITEM(read, picks_at[s]);
            }
        }
        Py_ssize_t at = -1;
        if (plain && !failed) {
            size_t hash = ((uintptr_t)period >> 4) * 31 + ((uintptr_t)weight >> 4);
            for (Py_ssize_t s = 0; s < nscales; s++)
                hash = hash * 31 + ((uintptr_t)values[s] >> 4);
            TallySeen *entry = &seen[(hash ^ (hash >> 11)) & (TALLY_TABLE - 1)];
            if (entry->at >= 0 && entry->period == period && entry->weight == weight) {
                int same = 1;
                for (Py_ssize_t s = 0; s < nscales && same; s++)
                    same = PyTuple_GET_ITEM(entry->read, s) == values[s];
                if (same)
                    at = entry->at;
            }
            if (at < 0) {
                /* not seen lately: its key made, and looked up among the counts */
                PyObject *read = NULL, *key = NULL;
                if (nscales >= 0) {
                    read = PyTuple_New(nscales);
                    for (Py_ssize_t s = 0; read != NULL && s < nscales; s++)
                        PyTuple_SET_ITEM(read, s, Py_NewRef(values[s]));
                    key = read == NULL ? NULL : PyTuple_Pack(3, period, weight, read);
                    Py_XDECREF(read); /* the key holds it */
                } else {
                    key = PyTuple_Pack(2, period, weight);
                }
                PyObject *found = key == NULL ? NULL : PyDict_GetItemWithError(index, key);
                if (key == NULL || PyList_Append(made, key) < 0 || (found == NULL && PyErr_Occurred())) {
                    failed = 1;
                } else if (found != NULL) {
                    at = PyLong_AsSsize_t(found);
                } else {
                    at = PyList_GET_SIZE(keys);
                    PyObject *number = PyLong_FromSsize_t(at);
                    if (number == NULL || PyDict_SetItem(index, key, number) < 0 || PyList_Append(keys, key) < 0)
                        failed = 1;
                    Py_XDECREF(number);
                    if (!failed && at >= capacity) {
                        Py_ssize_t *grown = PyMem_Realloc(counts, (size_t)(capacity * 2 + 64) * sizeof(Py_ssize_t));
                        if (grown == NULL) {
                            PyErr_NoMemory();
                            failed = 1;
                        } else {
                            counts = grown;
                            capacity = capacity * 2 + 64;
                        }
                    }
                    if (!failed)
                        counts[at] = 0;
                }
                if (!failed) {
                    entry->period = period;
                    entry->weight = weight;
                    entry->read = nscales >= 0 ? PyTuple_GET_ITEM(key, 2) : NULL;
                    entry->at = at;
                }
                Py_XDECREF(key); /* ``made`` holds it */
            }
        }
        for (Py_ssize_t k = 0; k < legs; k++)
            Py_CLEAR(held[k]);
        if (failed)
            goto done;
        if (!plain) {
            result = Py_NewRef(Py_False);
            goto done;
        }
        counts[at]++;
    }
    /* into the scorer's dict, in the order first seen: (period, rule, weight[, values]) */
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(keys); k++) {
        PyObject *key = PyList_GET_ITEM(keys, k), *period = PyTuple_GET_ITEM(key, 0);
        int counted = PyObject_RichCompareBool(period, first_period, Py_GE);
        if (counted < 0)
            goto done;
        if (!counted)
            continue;
        PyObject *counted_as = nscales >= 0 ? PyTuple_Pack(4, period, rule_id, PyTuple_GET_ITEM(key, 1), PyTuple_GET_ITEM(key, 2))
                                           : PyTuple_Pack(3, period, rule_id, PyTuple_GET_ITEM(key, 1));
        if (counted_as == NULL)
            goto done;
        int failed = tally_add(target, counted_as, counts[k]);
        Py_DECREF(counted_as);
        if (failed < 0)
            goto done;
    }
    result = Py_NewRef(Py_True);
done:
    PyMem_Free(seen);
    PyMem_Free(counts);
    Py_XDECREF(keys);
    Py_XDECREF(index);
    Py_XDECREF(made);
    Py_DECREF(tuples);
    return result;
}

static PyMethodDef METHODS[] = {
    {"tally_firings", tally_firings, METH_VARARGS,
     "tally_firings(records, tuples, scales, first_period, rule_id, target[, recent]): Scorer.score's counting of one rule's firings; False: count them in Python."},
    {"take_id", take_id, METH_VARARGS, "take_id(numbers, held, hashes, reserved, id_hash, error): session.FactIds.take in C."},
    {"joined_expire", joined_expire, METH_VARARGS, "joined_expire(heap, filed, before, heappop): patterns.joined_expire in C."},
    {"release_expired", release_expired, METH_VARARGS,
     "release_expired(expired, waiting, waiting_by, dead, retained, event_of, hashes, held): patterns.release_expired in C; (let go, forgotten)."},
    {"pattern_file", pattern_file, METH_VARARGS,
     "pattern_file(ctx, candidates, read, at, kinds, positions, horizon, per_set, flags_of, found): PatternStage._file in C; (counted, late)."},
    {"distinct_keys", distinct_keys, METH_VARARGS,
     "distinct_keys(keys): the distinct keys but None in order of first appearance, and each key's position among them (-1: None)."},
    {"struct_rows", struct_rows, METH_VARARGS,
     "struct_rows(events, at, rest, encoded): each FastEvent's fields at positions ``at``, then its value of each item of ``rest``, as one tuple."},
    {"cached_column", cached_column, METH_VARARGS,
     "cached_column(values, cache, kind): cache[value] for each value (None for None), or None where the cache cannot answer them all."},
    {"source_weights", source_weights, METH_VARARGS,
     "source_weights(events, weights): each event's weight in ``weights`` by its sources' names and grades, None where absent."},
    {"setup", setup, METH_VARARGS, "setup(FastEvent, FastSource, FastFigure, UNSET, SUB_EVENT_TYPES): where the structs' fields are."},
    {"check_lines", check_lines, METH_VARARGS,
     "check_lines(lines, events): each event as decode_fast gives it for its line, None where it refuses the line."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef MODULE = {PyModuleDef_HEAD_INIT, "riskengine.core._native", "The light reader's per-event checks in C (see fast_events).", -1, METHODS, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&MODULE); }
