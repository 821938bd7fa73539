/*
 * xlsx_dl.h — libxlsxwriter and libminizip, opened on the first workbook
 * (engine/dynlib.h says why: linked, they slowed every start of kofu).
 *
 * Included after <xlsxwriter.h> and <minizip/zip.h> by the files that call
 * them: each function used is a member of xlsx_dl_fn, typed from the
 * library's own prototype, and a macro of the function's name makes the
 * call sites read as direct calls. A function called but missing here is a
 * link error (the libraries are not linked); one listed here but not in the
 * macros below is too. kofu_xlsx_open calls xlsx_dl_load before anything
 * else.
 */
#ifndef KOFU_RENDER_XLSX_DL_H
#define KOFU_RENDER_XLSX_DL_H

#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <xlsxwriter.h>

#include "kofu/kofu.h"

#define XLSXWRITER_FUNCTIONS(X)                                                                    \
    X(workbook_new_opt) X(workbook_set_properties) X(workbook_add_format)                         \
    X(workbook_add_worksheet) X(workbook_add_chart) X(workbook_close)                             \
    X(format_set_bold) X(format_set_text_wrap) X(format_set_bg_color) X(format_set_num_format)    \
    X(worksheet_write_string) X(worksheet_write_number) X(worksheet_set_column)                   \
    X(worksheet_freeze_panes) X(worksheet_autofilter) X(worksheet_insert_chart_opt)               \
    X(chart_add_series) X(chart_series_set_name) X(chart_series_set_categories)                   \
    X(chart_series_set_values) X(chart_title_set_name) X(chart_axis_set_name)                     \
    X(chart_axis_set_num_format) X(chart_legend_set_position)                                    \
    X(worksheet_data_validation_range) X(worksheet_set_row) X(worksheet_activate)                 \
    X(format_set_align)

#define MINIZIP_FUNCTIONS(X)                                                                       \
    X(unzOpen64) X(unzClose) X(unzGoToFirstFile) X(unzGoToNextFile) X(unzGetCurrentFileInfo64)    \
    X(unzOpenCurrentFile) X(unzReadCurrentFile) X(unzCloseCurrentFile) X(zipOpen64)               \
    X(zipOpenNewFileInZip64) X(zipWriteInFileInZip) X(zipCloseFileInZip) X(zipClose)

typedef struct xlsx_dl {
#define XLSX_DL_MEMBER_(f) __typeof__(f) *f;
    XLSXWRITER_FUNCTIONS(XLSX_DL_MEMBER_)
    MINIZIP_FUNCTIONS(XLSX_DL_MEMBER_)
#undef XLSX_DL_MEMBER_
} xlsx_dl;

extern xlsx_dl xlsx_dl_fn;

/* Opens both libraries (once per process). KOFU_EIO with an item in diag
 * about path (the workbook) naming the library and the package to install
 * when one is missing. */
kofu_status xlsx_dl_load(const char *path, kofu_diag *diag);

#ifndef XLSX_DL_TABLE
#define workbook_new_opt (xlsx_dl_fn.workbook_new_opt)
#define workbook_set_properties (xlsx_dl_fn.workbook_set_properties)
#define workbook_add_format (xlsx_dl_fn.workbook_add_format)
#define workbook_add_worksheet (xlsx_dl_fn.workbook_add_worksheet)
#define workbook_add_chart (xlsx_dl_fn.workbook_add_chart)
#define workbook_close (xlsx_dl_fn.workbook_close)
#define format_set_bold (xlsx_dl_fn.format_set_bold)
#define format_set_text_wrap (xlsx_dl_fn.format_set_text_wrap)
#define format_set_bg_color (xlsx_dl_fn.format_set_bg_color)
#define format_set_num_format (xlsx_dl_fn.format_set_num_format)
#define worksheet_write_string (xlsx_dl_fn.worksheet_write_string)
#define worksheet_write_number (xlsx_dl_fn.worksheet_write_number)
#define worksheet_set_column (xlsx_dl_fn.worksheet_set_column)
#define worksheet_freeze_panes (xlsx_dl_fn.worksheet_freeze_panes)
#define worksheet_autofilter (xlsx_dl_fn.worksheet_autofilter)
#define worksheet_insert_chart_opt (xlsx_dl_fn.worksheet_insert_chart_opt)
#define chart_add_series (xlsx_dl_fn.chart_add_series)
#define chart_series_set_name (xlsx_dl_fn.chart_series_set_name)
#define chart_series_set_categories (xlsx_dl_fn.chart_series_set_categories)
#define chart_series_set_values (xlsx_dl_fn.chart_series_set_values)
#define chart_title_set_name (xlsx_dl_fn.chart_title_set_name)
#define chart_axis_set_name (xlsx_dl_fn.chart_axis_set_name)
#define chart_axis_set_num_format (xlsx_dl_fn.chart_axis_set_num_format)
#define chart_legend_set_position (xlsx_dl_fn.chart_legend_set_position)
#define worksheet_data_validation_range (xlsx_dl_fn.worksheet_data_validation_range)
#define worksheet_set_row (xlsx_dl_fn.worksheet_set_row)
#define worksheet_activate (xlsx_dl_fn.worksheet_activate)
#define format_set_align (xlsx_dl_fn.format_set_align)

#define unzOpen64 (xlsx_dl_fn.unzOpen64)
#define unzClose (xlsx_dl_fn.unzClose)
#define unzGoToFirstFile (xlsx_dl_fn.unzGoToFirstFile)
#define unzGoToNextFile (xlsx_dl_fn.unzGoToNextFile)
#define unzGetCurrentFileInfo64 (xlsx_dl_fn.unzGetCurrentFileInfo64)
#define unzOpenCurrentFile (xlsx_dl_fn.unzOpenCurrentFile)
#define unzReadCurrentFile (xlsx_dl_fn.unzReadCurrentFile)
#define unzCloseCurrentFile (xlsx_dl_fn.unzCloseCurrentFile)
#define zipOpen64 (xlsx_dl_fn.zipOpen64)
#define zipOpenNewFileInZip64 (xlsx_dl_fn.zipOpenNewFileInZip64)
#define zipWriteInFileInZip (xlsx_dl_fn.zipWriteInFileInZip)
#define zipCloseFileInZip (xlsx_dl_fn.zipCloseFileInZip)
#define zipClose (xlsx_dl_fn.zipClose)
#endif

#endif
