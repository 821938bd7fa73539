/* xlsx_template.h — the case-table sheet of `kofu template --format xlsx`
 * (xlsx_template.c), written by xlsx.c when the workbook has one. */
#ifndef KOFU_RENDER_XLSX_TEMPLATE_H
#define KOFU_RENDER_XLSX_TEMPLATE_H

#include <xlsxwriter.h>

#include "kofu/xlsx.h"

void xlsx_template_sheet(lxw_workbook *wb, const kofu_xlsx_template *t, kofu_lang lang);

#endif
