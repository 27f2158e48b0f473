// OpenBLAS's CBLAS interface (Debian installs it under the multiarch include folder);
// it also declares openblas_set_num_threads and openblas_get_corename.
#include <cblas.h>
