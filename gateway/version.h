/* version — tinbao's version, one definition for tinbaod, tinbao and
 * /metrics (tinbao_build_info). */
#ifndef TINBAO_VERSION_H
#define TINBAO_VERSION_H

#define TINBAO_VERSION "0.1.0"

#endif
