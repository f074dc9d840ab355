#ifndef EVGEN_VERSION_H
#define EVGEN_VERSION_H
#define EVGEN_VERSION "0.1.0"
#endif
