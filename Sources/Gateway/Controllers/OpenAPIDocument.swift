/// The OpenAPI 3.1 description served at `/openapi.json`. Kept by hand next to the routes; a test
/// checks every route is described.
enum OpenAPIDocument {
    static let json = #"""
        {
         "openapi": "3.1.0",
         "info": {
          "title": "CallPipe API",
          "version": "0.4.0",
          "description": "Call sessions, recordings, transcripts, insights and rooms. Errors are {\"error\": {\"code\", \"message\"}}."
         },
         "servers": [
          {
           "url": "http://127.0.0.1:8080"
          }
         ],
         "security": [
          {
           "bearer": []
          }
         ],
         "paths": {
          "/health": {
           "get": {
            "summary": "Liveness and component status",
            "security": [],
            "responses": {
             "200": {
              "description": "Health",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Health"
                }
               }
              }
             }
            }
           }
          },
          "/metrics": {
           "get": {
            "summary": "Prometheus metrics",
            "security": [],
            "responses": {
             "200": {
              "description": "Metrics",
              "content": {
               "text/plain": {
                "schema": {
                 "type": "string"
                }
               }
              }
             }
            }
           }
          },
          "/openapi.json": {
           "get": {
            "summary": "This document",
            "security": [],
            "responses": {
             "200": {
              "description": "OpenAPI document",
              "content": {
               "application/json": {
                "schema": {
                 "type": "object"
                }
               }
              }
             }
            }
           }
          },
          "/api/calls/start": {
           "post": {
            "summary": "Start a call session",
            "requestBody": {
             "required": true,
             "content": {
              "application/json": {
               "schema": {
                "$ref": "#/components/schemas/StartCall"
               }
              }
             }
            },
            "responses": {
             "201": {
              "description": "Created",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Call"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/Error"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "403": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/{id}/audio": {
           "post": {
            "summary": "Upload a recording (raw audio body or multipart field file)",
            "parameters": [
             {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
               "type": "string",
               "pattern": "^[A-Za-z0-9_-]{1,100}$"
              }
             },
             {
              "name": "Idempotency-Key",
              "in": "header",
              "required": false,
              "schema": {
               "type": "string",
               "maxLength": 200
              }
             }
            ],
            "requestBody": {
             "required": true,
             "content": {
              "audio/*": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              },
              "video/*": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              },
              "application/octet-stream": {
               "schema": {
                "type": "string",
                "format": "binary"
               }
              },
              "multipart/form-data": {
               "schema": {
                "type": "object",
                "properties": {
                 "file": {
                  "type": "string",
                  "format": "binary"
                 }
                },
                "required": [
                 "file"
                ]
               }
              }
             }
            },
            "responses": {
             "202": {
              "description": "Accepted: on disk and queued",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/UploadAccepted"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/Error"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "403": {
              "$ref": "#/components/responses/Error"
             },
             "404": {
              "$ref": "#/components/responses/Error"
             },
             "409": {
              "$ref": "#/components/responses/Error"
             },
             "413": {
              "$ref": "#/components/responses/Error"
             },
             "415": {
              "$ref": "#/components/responses/Error"
             },
             "422": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/{id}/end": {
           "post": {
            "summary": "End the session; the final summary follows",
            "parameters": [
             {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
               "type": "string",
               "pattern": "^[A-Za-z0-9_-]{1,100}$"
              }
             }
            ],
            "responses": {
             "200": {
              "description": "The call",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Call"
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "403": {
              "$ref": "#/components/responses/Error"
             },
             "404": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/{id}": {
           "get": {
            "summary": "The whole call",
            "parameters": [
             {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
               "type": "string",
               "pattern": "^[A-Za-z0-9_-]{1,100}$"
              }
             }
            ],
            "responses": {
             "200": {
              "description": "The call with its outputs",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/CallDetail"
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "404": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/{id}/summary": {
           "get": {
            "summary": "Summary, insights and talk time",
            "parameters": [
             {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
               "type": "string",
               "pattern": "^[A-Za-z0-9_-]{1,100}$"
              }
             }
            ],
            "responses": {
             "200": {
              "description": "Summary",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/CallSummary"
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "404": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/{id}/transcript": {
           "get": {
            "summary": "Transcript",
            "parameters": [
             {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
               "type": "string",
               "pattern": "^[A-Za-z0-9_-]{1,100}$"
              }
             },
             {
              "name": "format",
              "in": "query",
              "schema": {
               "type": "string",
               "enum": [
                "json",
                "txt",
                "srt",
                "vtt"
               ],
               "default": "json"
              }
             }
            ],
            "responses": {
             "200": {
              "description": "Transcript",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Transcript"
                }
               },
               "text/plain": {
                "schema": {
                 "type": "string"
                }
               },
               "application/x-subrip": {
                "schema": {
                 "type": "string"
                }
               },
               "text/vtt": {
                "schema": {
                 "type": "string"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/Error"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             },
             "404": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/history": {
           "get": {
            "summary": "Paginated call history",
            "parameters": [
             {
              "name": "page",
              "in": "query",
              "schema": {
               "type": "integer",
               "minimum": 1
              }
             },
             {
              "name": "page_size",
              "in": "query",
              "schema": {
               "type": "integer",
               "minimum": 1,
               "maximum": 500
              }
             },
             {
              "name": "agent_id",
              "in": "query",
              "schema": {
               "type": "string"
              }
             },
             {
              "name": "status",
              "in": "query",
              "schema": {
               "type": "string",
               "enum": [
                "active",
                "ended",
                "processing",
                "done",
                "failed"
               ]
              }
             },
             {
              "name": "from",
              "in": "query",
              "schema": {
               "type": "string",
               "format": "date-time"
              }
             },
             {
              "name": "to",
              "in": "query",
              "schema": {
               "type": "string",
               "format": "date-time"
              }
             }
            ],
            "responses": {
             "200": {
              "description": "A page of calls",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/HistoryPage"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/Error"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/calls/search": {
           "get": {
            "summary": "Full-text search over transcripts and summaries",
            "parameters": [
             {
              "name": "q",
              "in": "query",
              "required": true,
              "schema": {
               "type": "string",
               "minLength": 1,
               "maxLength": 500
              }
             }
            ],
            "responses": {
             "200": {
              "description": "Matches",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SearchResults"
                }
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/Error"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/api/agents": {
           "get": {
            "summary": "Agents and their calls",
            "responses": {
             "200": {
              "description": "Agents",
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Agents"
                }
               }
              }
             },
             "401": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          },
          "/ws": {
           "get": {
            "summary": "Supervisor rooms (WebSocket upgrade). Send join_call_session, leave_call_session, request_session_status or join_floor; receive events {type, session_id, seq, at, data}.",
            "parameters": [
             {
              "name": "token",
              "in": "query",
              "schema": {
               "type": "string"
              }
             }
            ],
            "responses": {
             "101": {
              "description": "Switching protocols"
             },
             "401": {
              "$ref": "#/components/responses/Error"
             }
            }
           }
          }
         },
         "components": {
          "securitySchemes": {
           "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "API key (cp_<role>_...); browsers and WebSockets may use ?token="
           }
          },
          "responses": {
           "Error": {
            "description": "Error",
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            }
           }
          },
          "schemas": {
           "Error": {
            "type": "object",
            "required": [
             "error"
            ],
            "properties": {
             "error": {
              "type": "object",
              "required": [
               "code",
               "message"
              ],
              "properties": {
               "code": {
                "type": "string"
               },
               "message": {
                "type": "string"
               }
              }
             }
            }
           },
           "Health": {
            "type": "object",
            "properties": {
             "status": {
              "type": "string"
             },
             "components": {
              "type": "object"
             }
            }
           },
           "StartCall": {
            "type": "object",
            "properties": {
             "agent_id": {
              "type": "string"
             },
             "customer_id": {
              "type": "string"
             },
             "direction": {
              "type": "string",
              "enum": [
               "inbound",
               "outbound"
              ]
             },
             "session_id": {
              "type": "string"
             },
             "channel_map": {
              "type": "array",
              "items": {
               "type": "string",
               "enum": [
                "agent",
                "customer",
                "unknown"
               ]
              },
              "maxItems": 2
             },
             "metadata": {
              "type": "object",
              "additionalProperties": {
               "type": "string"
              }
             }
            }
           },
           "Call": {
            "type": "object",
            "required": [
             "id",
             "agent_id",
             "direction",
             "status",
             "created_at"
            ],
            "properties": {
             "id": {
              "type": "string"
             },
             "agent_id": {
              "type": "string"
             },
             "customer_id": {
              "type": "string"
             },
             "direction": {
              "type": "string"
             },
             "session_id": {
              "type": "string"
             },
             "channel_map": {
              "type": "array",
              "items": {
               "type": "string"
              }
             },
             "metadata": {
              "type": "object",
              "additionalProperties": {
               "type": "string"
              }
             },
             "status": {
              "type": "string",
              "enum": [
               "active",
               "ended",
               "processing",
               "done",
               "failed"
              ]
             },
             "failure_reason": {
              "type": "string"
             },
             "created_at": {
              "type": "string",
              "format": "date-time"
             },
             "ended_at": {
              "type": "string",
              "format": "date-time"
             },
             "updated_at": {
              "type": "string",
              "format": "date-time"
             },
             "is_demo": {
              "type": "boolean"
             }
            }
           },
           "UploadAccepted": {
            "type": "object",
            "properties": {
             "recording_id": {
              "type": "string"
             },
             "call_id": {
              "type": "string"
             },
             "sequence": {
              "type": "integer"
             },
             "status": {
              "type": "string"
             },
             "duplicate": {
              "type": "boolean"
             }
            }
           },
           "TranscriptSegment": {
            "type": "object",
            "properties": {
             "speaker": {
              "type": "string"
             },
             "start_s": {
              "type": "number"
             },
             "end_s": {
              "type": "number"
             },
             "text": {
              "type": "string"
             },
             "confidence": {
              "type": [
               "number",
               "null"
              ]
             },
             "sentiment": {
              "type": [
               "number",
               "null"
              ]
             }
            }
           },
           "Transcript": {
            "type": "object",
            "properties": {
             "language": {
              "type": [
               "string",
               "null"
              ]
             },
             "segments": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/TranscriptSegment"
              }
             }
            }
           },
           "Insights": {
            "type": "object",
            "properties": {
             "sentiment": {
              "type": "object"
             },
             "summary": {
              "type": "string"
             },
             "key_points": {
              "type": "array",
              "items": {
               "type": "string"
              }
             },
             "action_items": {
              "type": "array",
              "items": {
               "type": "object"
              }
             },
             "issues": {
              "type": "array",
              "items": {
               "type": "string"
              }
             },
             "outcome": {
              "type": "string",
              "enum": [
               "resolved",
               "escalated",
               "callback",
               "unresolved",
               "voicemail",
               "dropped"
              ]
             },
             "topics": {
              "type": "array",
              "items": {
               "type": "string"
              }
             },
             "hints": {
              "type": "array",
              "items": {
               "type": "string"
              }
             },
             "analyzer": {
              "type": "string"
             }
            }
           },
           "CallDetail": {
            "allOf": [
             {
              "$ref": "#/components/schemas/Call"
             },
             {
              "type": "object",
              "properties": {
               "recordings": {
                "type": "array",
                "items": {
                 "type": "object"
                }
               },
               "analysis": {
                "type": [
                 "object",
                 "null"
                ]
               },
               "transcript": {
                "$ref": "#/components/schemas/Transcript"
               },
               "insights": {
                "oneOf": [
                 {
                  "$ref": "#/components/schemas/Insights"
                 },
                 {
                  "type": "null"
                 }
                ]
               },
               "summary_version": {
                "type": [
                 "integer",
                 "null"
                ]
               },
               "is_final": {
                "type": "boolean"
               },
               "jobs": {
                "type": "array",
                "items": {
                 "type": "object"
                }
               }
              }
             }
            ]
           },
           "CallSummary": {
            "type": "object",
            "properties": {
             "call_id": {
              "type": "string"
             },
             "status": {
              "type": "string"
             },
             "version": {
              "type": [
               "integer",
               "null"
              ]
             },
             "is_final": {
              "type": "boolean"
             },
             "insights": {
              "oneOf": [
               {
                "$ref": "#/components/schemas/Insights"
               },
               {
                "type": "null"
               }
              ]
             },
             "talk_time": {
              "type": [
               "object",
               "null"
              ]
             }
            }
           },
           "HistoryPage": {
            "type": "object",
            "properties": {
             "calls": {
              "type": "array",
              "items": {
               "$ref": "#/components/schemas/Call"
              }
             },
             "page": {
              "type": "integer"
             },
             "page_size": {
              "type": "integer"
             },
             "total": {
              "type": "integer"
             }
            }
           },
           "SearchResults": {
            "type": "object",
            "properties": {
             "query": {
              "type": "string"
             },
             "results": {
              "type": "array",
              "items": {
               "type": "object",
               "properties": {
                "call_id": {
                 "type": "string"
                },
                "kind": {
                 "type": "string"
                },
                "snippet": {
                 "type": "string"
                }
               }
              }
             }
            }
           },
           "Agents": {
            "type": "object",
            "properties": {
             "agents": {
              "type": "array",
              "items": {
               "type": "object"
              }
             }
            }
           }
          }
         }
        }
        """#
}
