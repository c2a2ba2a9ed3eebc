/* serialise_xml.h — an answer's JSON body as XML, in the shape ASP.NET's
 * XmlSerializer gives a C# model (VSPC answers JSON, XML and CSV):
 *
 *   <?xml version="1.0" encoding="utf-8"?>
 *   <GetCompaniesResponse200 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 *     <meta><pagingInfo><total>3</total><count>3</count><offset>0</offset></pagingInfo></meta>
 *     <data><Company><instanceUid>...</instanceUid>...</Company>...</data>
 *   </GetCompaniesResponse200>
 *
 *   - the root element is named after the body's schema in the contract
 *     (the envelope: GetCompaniesResponse200, ErrorResponse, EmptyResponse,
 *     ...), "Response" when the contract names none;
 *   - a member is an element named after the property (the contract's
 *     names, as JSON has them); an object's members are its children;
 *   - an array is an element holding one element per item, named after
 *     the item's schema type (Company, ResponseError), or for items of a
 *     plain type: string, int, double, boolean; "item" when unknown;
 *   - null is <name xsi:nil="true"/>; true/false and numbers as JSON
 *     writes them; text escaped (& < > " '), characters XML 1.0 cannot
 *     hold become U+FFFD; a name that is not an XML name has its other
 *     characters replaced by "_" (and "_" before a leading digit).
 * Element order is the JSON body's order.
 */
#ifndef VSPC_SERIALISE_XML_H
#define VSPC_SERIALISE_XML_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"
#include "contract/schema.h"

/* Appends body as an XML document to out. schemas and schema (the body's
 * schema, for element names) may be NULL; root: the schema's name, NULL
 * for "Response". False when out failed. */
bool serialise_xml(const json_t *body, const schema_ctx *schemas, const json_t *schema,
                   const char *root, buf *out);

#endif
