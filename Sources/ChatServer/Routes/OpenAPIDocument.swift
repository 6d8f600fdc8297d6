/// The OpenAPI 3.1 description of the REST API (and, in `x-websockets`, the sockets), served at
/// `/api/openapi.json`. `scripts/schemathesis.sh` checks the running server against it in CI.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "chat-server",
    "version": "1.0.0",
    "description": "The chat server's REST API and WebSockets.\n\nConventions: JSON in and out, UTF-8; trailing slashes are optional on every path. Errors are a status and `{\"error\": \"<human message>\"}`: 400 invalid input, 401 not authenticated, 403 not allowed, 404 unknown, 409 conflict, 413 too large, 429 too many requests, 503 storage unavailable. Ids are integers, and every integer in a body must be written without fraction or exponent (`1`, not `1.0`: JSON Schema counts both as integers, the server's strict decoder only the first, answering 400 `Field '<name>' must be an integer`); timestamps are ISO 8601 UTC strings with milliseconds. Every endpoint except register, login, `/healthz`, `/metrics` and `/api/openapi.json` needs `Authorization: Bearer <token>`. Unknown paths and unsupported methods answer 404.\n\nWebSockets (described in full, with frame schemas, under `x-websockets`):\n- `/ws/chat/{room}/`: the public room of that name, created on first use (a group room's name applies group rules);\n- `/ws/chat/group/{room}/`: the group room of that name, members only;\n- `/ws/private/{username}/`: the private room of the caller and that user.\nAuthenticate with `Authorization: Bearer <token>` or `?token=<token>`. A socket that may not open gets an error frame, then close code 4000 + the HTTP status: 4401 no valid token, 4403 not a member (or origin not allowed), 4404 unknown user or room, 4400 bad request. Client frames: `{\"message\": \"<text>\", \"client_msg_id\"?: \"...\", \"username\"?: \"<caller>\"}` and `{\"type\": \"typing\", \"typing\"?: true|false}`. Server frames: `{\"type\":\"message\", \"id\",\"room_id\",\"room\",\"seq\",\"username\",\"message\",\"timestamp\", \"client_msg_id\"?}`, `{\"type\":\"typing\",\"room\",\"username\",\"typing\"}`, `{\"type\":\"presence\",\"room\",\"username\",\"online\"}`, `{\"type\":\"error\",\"error\"}`. Close codes: 1001 server shutdown; 1009 message too large; a slow consumer (more than the outbound queue limit behind) gets a 1008 close frame queued behind its backlog and is disconnected 2 s later (a reader that never reads sees only the TCP connection end)."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "auth"
    },
    {
      "name": "users"
    },
    {
      "name": "rooms"
    },
    {
      "name": "messages"
    },
    {
      "name": "operations"
    }
  ],
  "security": [
    {
      "bearerAuth": []
    }
  ],
  "paths": {
    "/api/register": {
      "post": {
        "operationId": "register",
        "tags": [
          "auth"
        ],
        "summary": "Create an account",
        "security": [],
        "requestBody": {
          "required": true,
          "description": "The wanted username and a password.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RegisterRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new user.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, `Username must be 1 to 150 characters: letters, digits and @ . + - _ only`, `Password must be at least 8 characters` or `Password must be at most 72 bytes`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "`A user with that username already exists` (compared case-insensitively).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/login": {
      "post": {
        "operationId": "login",
        "tags": [
          "auth"
        ],
        "summary": "Get a bearer token",
        "security": [],
        "requestBody": {
          "required": true,
          "description": "Username (case-insensitive) and password.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "A new token and the user.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LoginResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "description": "`Invalid username or password`, the same for an unknown user and a wrong password.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "429": {
            "description": "`Too many failed logins; try again later`: too many failures (5 by default) for this username or from this address within the window (15 minutes by default).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/logout": {
      "post": {
        "operationId": "logout",
        "tags": [
          "auth"
        ],
        "summary": "Revoke the token used",
        "description": "The token stops working at once. No body is read.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/users": {
      "get": {
        "operationId": "listUsers",
        "tags": [
          "users"
        ],
        "summary": "Every user",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "Every registered user.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/User"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms": {
      "get": {
        "operationId": "listRooms",
        "tags": [
          "rooms"
        ],
        "summary": "The rooms the caller may see",
        "description": "Every public room, and the group and private rooms the caller belongs to.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The rooms.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Room"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "post": {
        "operationId": "createRoom",
        "tags": [
          "rooms"
        ],
        "summary": "Create a public or group room",
        "description": "The caller becomes the owner and, for a group, its first member.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The name and, optionally, the kind.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateRoomRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new room.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Room"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, `Room name must be 1 to 100 characters, without '/' or control characters` or `Room kind must be public or group`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "description": "`A room with that name already exists`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms/with-members": {
      "post": {
        "operationId": "createRoomWithMembers",
        "tags": [
          "rooms"
        ],
        "summary": "Create a group room with members",
        "description": "A group room whose members are the caller (its owner) and the listed users.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The name and the other members.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateRoomWithMembersRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new room.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Room"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body or name, or unknown members: `Unknown user: bob` / `Unknown users: bob, carol`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "409": {
            "description": "`A room with that name already exists`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms/{room_id}/members": {
      "post": {
        "operationId": "addMember",
        "tags": [
          "rooms"
        ],
        "summary": "Add a member to a group room",
        "description": "Only the owner or an admin may; the new member gets the role `member`.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "room_id",
            "in": "path",
            "required": true,
            "description": "A room id: a positive integer (otherwise 400 `room_id must be a positive integer`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            },
            "examples": {
              "first": {
                "value": 1
              }
            }
          }
        ],
        "requestBody": {
          "required": true,
          "description": "Who to add.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AddMemberRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The room.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Room"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body or room id, `Private rooms have exactly two members` or `Public rooms have no members`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room` or `Only the room's owner or an admin may change its members`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room`, `This room is archived` or `Unknown user: <name>`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "`<name> is already a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms/{room_id}/members/{username}": {
      "parameters": [
        {
          "name": "room_id",
          "in": "path",
          "required": true,
          "description": "A room id: a positive integer (otherwise 400 `room_id must be a positive integer`).",
          "schema": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "examples": {
            "first": {
              "value": 1
            }
          }
        },
        {
          "name": "username",
          "in": "path",
          "required": true,
          "description": "A username (case-insensitive), percent-encoded.",
          "schema": {
            "type": "string",
            "minLength": 1
          }
        }
      ],
      "delete": {
        "operationId": "removeMember",
        "tags": [
          "rooms"
        ],
        "summary": "Remove a member from a group room",
        "description": "The owner may remove anyone, an admin plain members, and anyone themself. When the owner leaves, the oldest admin (else the oldest member) inherits the room; when the last member leaves, the room is archived.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "responses": {
          "204": {
            "description": "Removed."
          },
          "400": {
            "description": "Invalid room id, `Private rooms have exactly two members` or `Public rooms have no members`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room`, `Only the room's owner or an admin may change its members` or `Admins may remove only plain members`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room`, `This room is archived`, `Unknown user: <name>` or `<name> is not a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "patch": {
        "operationId": "changeRole",
        "tags": [
          "rooms"
        ],
        "summary": "Change a member's role",
        "description": "Only the owner may; the owner's own role cannot change.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The new role.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ChangeRoleRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The room.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Room"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body or room id, `Role must be admin or member`, `Private rooms have exactly two members` or `Public rooms have no members`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room`, `Only the room's owner may change roles` or `The owner's role cannot be changed`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room`, `This room is archived`, `Unknown user: <name>` or `<name> is not a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms/{room_id}/messages": {
      "get": {
        "operationId": "roomHistory",
        "tags": [
          "messages"
        ],
        "summary": "A room's history, a page at a time",
        "description": "Without `after`: the latest `limit` messages older than `before` (all of them without `before`), oldest first; load older history by passing the first item's `seq` as the next `before`. With `after`: the first `limit` messages after that `seq`, oldest first.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "room_id",
            "in": "path",
            "required": true,
            "description": "A room id: a positive integer (otherwise 400 `room_id must be a positive integer`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            },
            "examples": {
              "first": {
                "value": 1
              }
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Page size: 1 to 200 (otherwise 400 `limit must be an integer from 1 to 200`).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "before",
            "in": "query",
            "required": false,
            "description": "A message `seq`: the page is the latest `limit` messages older than it (otherwise 400 `before must be a positive integer`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "A `seq`: the page is the first `limit` messages after it, oldest first, to resume a stream (otherwise 400 `after must be a non-negative integer`). Cannot be combined with `before` (400 `before and after cannot be combined`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 0
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Messages, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Message"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/api/rooms/{room_id}/online": {
      "get": {
        "operationId": "onlineUsers",
        "tags": [
          "rooms"
        ],
        "summary": "Who is online in a room",
        "description": "The users with at least one socket open in the room (presence counts users, not tabs), by id. Readers of the room only.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "room_id",
            "in": "path",
            "required": true,
            "description": "A room id: a positive integer (otherwise 400 `room_id must be a positive integer`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            },
            "examples": {
              "first": {
                "value": 1
              }
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Users online.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/User"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/messages": {
      "get": {
        "operationId": "latestMessages",
        "tags": [
          "messages"
        ],
        "summary": "The latest messages of every room the caller may read",
        "description": "The latest `limit` messages, older than message `id` `before` when given, of every public room and every group and private room the caller belongs to; oldest first.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Page size: 1 to 200 (otherwise 400 `limit must be an integer from 1 to 200`).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "before",
            "in": "query",
            "required": false,
            "description": "A message `id`: the page is the latest `limit` messages older than it (otherwise 400 `before must be a positive integer`).",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Messages, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Message"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      },
      "post": {
        "operationId": "sendMessage",
        "tags": [
          "messages"
        ],
        "summary": "Send a message",
        "description": "Stores the message and delivers it live to the room's sockets. A retry with the same `client_msg_id` (same sender) returns the stored message with 200 and stores and delivers nothing.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The room, the text and, optionally, the client's id.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SendMessageRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The stored message.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            }
          },
          "200": {
            "description": "A retry: the message stored earlier with this `client_msg_id`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Message"
                }
              }
            }
          },
          "400": {
            "description": "Invalid body, `Message is empty`, `Message is longer than 4000 characters` or `client_msg_id must be 1 to 100 characters`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "`You are not a member of this room`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "`Unknown room` (also for a `room_id` below 1) or `This room is archived`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "429": {
            "description": "`Too many messages; slow down`: over the per-user send rate (20 a second on average, bursts of 40, REST and sockets together, by default).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "health",
        "tags": [
          "operations"
        ],
        "summary": "Readiness",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/ServiceUnavailable"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "tags": [
          "operations"
        ],
        "summary": "Prometheus metrics",
        "security": [],
        "responses": {
          "200": {
            "description": "Prometheus text exposition format 0.0.4.",
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
    "/api/openapi.json": {
      "get": {
        "operationId": "openapi",
        "tags": [
          "operations"
        ],
        "summary": "This document",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "openapi",
                    "paths"
                  ]
                }
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "description": "Every error: a human message. The exact texts are part of the contract (tests assert them).",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string",
            "description": "The human message, e.g. `Invalid username or password`."
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "error": "Authentication credentials were not provided or are invalid"
          }
        ]
      },
      "Username": {
        "type": "string",
        "minLength": 1,
        "maxLength": 150,
        "pattern": "^[^\\u0000-\\u002a\\u002c\\u002f\\u003a-\\u003f\\u005b-\\u005e\\u0060\\u007b-\\u007f]+$",
        "description": "1 to 150 characters (Swift `Character`s, i.e. grapheme clusters): letters and digits of any script, and `@ . + - _` (Django's rule). Unique case-insensitively. The pattern is exact for ASCII; beyond ASCII only letters and digits are accepted.",
        "examples": [
          "alice"
        ]
      },
      "Password": {
        "type": "string",
        "minLength": 8,
        "maxLength": 72,
        "description": "At least 8 characters and at most 72 UTF-8 bytes (bcrypt ignores the rest); `maxLength` is the code-point bound that the byte limit implies for ASCII.",
        "examples": [
          "correct horse"
        ]
      },
      "RoomName": {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "pattern": "^[^/\\u0000-\\u001f\\u007f-\\u009f]*[^/\\u0000-\\u001f\\u007f-\\u009f\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^/\\u0000-\\u001f\\u007f-\\u009f]*$",
        "description": "1 to 100 characters, not only whitespace, without `/` or control characters. Unique among public and group rooms (case-sensitively).",
        "examples": [
          "general"
        ]
      },
      "RegisterRequest": {
        "type": "object",
        "required": [
          "username",
          "password"
        ],
        "properties": {
          "username": {
            "$ref": "#/components/schemas/Username"
          },
          "password": {
            "$ref": "#/components/schemas/Password"
          }
        },
        "additionalProperties": false
      },
      "LoginRequest": {
        "type": "object",
        "required": [
          "username",
          "password"
        ],
        "properties": {
          "username": {
            "type": "string",
            "description": "Matched case-insensitively.",
            "examples": [
              "alice"
            ]
          },
          "password": {
            "type": "string",
            "examples": [
              "correct horse"
            ]
          }
        },
        "additionalProperties": false
      },
      "User": {
        "type": "object",
        "required": [
          "id",
          "username"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "username": {
            "type": "string",
            "description": "As registered (its case kept)."
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "id": 1,
            "username": "alice"
          }
        ]
      },
      "LoginResponse": {
        "type": "object",
        "required": [
          "token",
          "user"
        ],
        "properties": {
          "token": {
            "type": "string",
            "minLength": 1,
            "description": "The bearer token, for `Authorization: Bearer <token>` (or `?token=` on sockets). It survives server restarts and works until logout or expiry (30 days by default)."
          },
          "user": {
            "$ref": "#/components/schemas/User"
          }
        },
        "additionalProperties": false
      },
      "Room": {
        "type": "object",
        "required": [
          "id",
          "name",
          "kind",
          "members"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "name": {
            "type": "string",
            "description": "For a private room, the two usernames, such as `alice, bob`."
          },
          "kind": {
            "type": "string",
            "enum": [
              "public",
              "group",
              "private"
            ]
          },
          "members": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The members' usernames in join order; empty for a public room."
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "id": 2,
            "name": "team",
            "kind": "group",
            "members": [
              "alice",
              "bob"
            ]
          }
        ]
      },
      "CreateRoomRequest": {
        "type": "object",
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/RoomName"
          },
          "kind": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "public",
              "group",
              null
            ],
            "description": "`public` (the default, also for `null`) or `group`."
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "name": "team",
            "kind": "group"
          }
        ]
      },
      "CreateRoomWithMembersRequest": {
        "type": "object",
        "required": [
          "name",
          "members"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/RoomName"
          },
          "members": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "examples": [
              []
            ],
            "description": "Usernames (case-insensitive) of the members besides the caller; the caller and repeated names are ignored. Every name must be a registered user, else 400 naming each unknown one."
          }
        },
        "additionalProperties": false
      },
      "AddMemberRequest": {
        "type": "object",
        "required": [
          "username"
        ],
        "properties": {
          "username": {
            "type": "string",
            "description": "Who to add (case-insensitive)."
          }
        },
        "additionalProperties": false
      },
      "ChangeRoleRequest": {
        "type": "object",
        "required": [
          "role"
        ],
        "properties": {
          "role": {
            "type": "string",
            "enum": [
              "admin",
              "member"
            ]
          }
        },
        "additionalProperties": false
      },
      "MessageText": {
        "type": "string",
        "minLength": 1,
        "maxLength": 4000,
        "pattern": "[^\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]",
        "description": "1 to 4000 characters, not only whitespace.",
        "examples": [
          "hello"
        ]
      },
      "ClientMessageID": {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "description": "The sender's own id for a message (1 to 100 characters): sending the same id again returns the stored message (200) and stores and delivers nothing new.",
        "examples": [
          "3f0c2a9e-0b1d-4c57-9a43-6b1c6f1d2e01"
        ]
      },
      "SendMessageRequest": {
        "type": "object",
        "required": [
          "room_id",
          "message"
        ],
        "properties": {
          "room_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "examples": [
              1
            ]
          },
          "message": {
            "$ref": "#/components/schemas/MessageText"
          },
          "client_msg_id": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/ClientMessageID"
              },
              {
                "type": "null"
              }
            ],
            "description": "Optional; `null` is the same as absent."
          }
        },
        "additionalProperties": false
      },
      "Message": {
        "type": "object",
        "required": [
          "id",
          "room_id",
          "room",
          "seq",
          "username",
          "message",
          "timestamp"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "Global id, increasing."
          },
          "room_id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "room": {
            "type": "string",
            "description": "The room's name."
          },
          "seq": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "1, 2, 3 … within the room, without gaps."
          },
          "username": {
            "type": "string",
            "description": "The sender."
          },
          "message": {
            "type": "string"
          },
          "timestamp": {
            "type": "string",
            "format": "date-time",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$",
            "description": "ISO 8601 UTC with milliseconds.",
            "examples": [
              "2024-05-01T12:00:00.000Z"
            ]
          },
          "client_msg_id": {
            "type": "string",
            "description": "Present when the sender gave one."
          }
        },
        "additionalProperties": false
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          }
        },
        "additionalProperties": false
      }
    },
    "responses": {
      "BadRequest": {
        "description": "Invalid input. Bodies are decoded strictly: `Invalid JSON` (also for a top-level value that is not an object), `Invalid UTF-8`, `Unknown field: <name>`, `Duplicate field: <name>`, `Missing field: <name>`, `Field '<name>' must be a string|an integer|a list of strings`; query and path parameters: `limit must be an integer from 1 to 200`, `<name> must be a positive integer`, `after must be a non-negative integer`, `room_id must be a positive integer`; plus the operation's own rules.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No valid bearer token: `Authentication credentials were not provided or are invalid`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Forbidden": {
        "description": "Not allowed, e.g. `You are not a member of this room`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "NotFound": {
        "description": "Unknown room or user, e.g. `Unknown room`, `Unknown user: bob`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Conflict": {
        "description": "Conflicts with existing state.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "ContentTooLarge": {
        "description": "The body is larger than the server's limit (1 MiB by default): `Request body is larger than 1048576 bytes`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "TooManyRequests": {
        "description": "Rate limited.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "ServiceUnavailable": {
        "description": "Storage is failing: `The server cannot store anything right now; try again later`. Any request that carries a token (its lookup reads the store) or reads or writes the store can get it.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "The token from POST /api/login. (The `token` query parameter is also read when no Authorization header is sent; it is meant for browsers' sockets.)"
      }
    }
  },
  "x-websockets": {
    "authentication": "`Authorization: Bearer <token>` header, or `?token=<token>` (for browsers). A request with an `Origin` header must come from an allowed origin (by default the server's own host).",
    "refusal": "Every upgrade is accepted; a socket that may not open gets one error frame `{\"type\":\"error\",\"error\":\"<message>\"}` and is closed at once with 4000 + the HTTP status it stands for. Nothing else is delivered to it.",
    "paths": {
      "/ws/chat/{room}/": {
        "room": "The public room of that name, created on first use. If the name belongs to a group room, group rules apply (members only, else 4403).",
        "who": "Any authenticated user."
      },
      "/ws/chat/group/{room}/": {
        "room": "The group room of that name; unknown name: 4404.",
        "who": "Its members; anyone else gets `You are not a member of this room` and 4403."
      },
      "/ws/private/{username}/": {
        "room": "The private room of the caller and `username`, created on first use.",
        "who": "The two of them; an unknown user: 4404; oneself: 4400 (`You cannot chat with yourself`)."
      }
    },
    "trailingSlash": "Optional, as on every path.",
    "clientFrames": {
      "encoding": "Text frames of JSON objects, decoded strictly (unknown fields, wrong types, invalid UTF-8 and non-JSON are rejected with the REST error messages). `null` counts as absent for optional fields.",
      "message": {
        "example": {
          "message": "hello",
          "client_msg_id": "c-1"
        },
        "schema": {
          "type": "object",
          "required": [
            "message"
          ],
          "additionalProperties": false,
          "properties": {
            "type": {
              "type": [
                "string",
                "null"
              ],
              "enum": [
                "message",
                null
              ]
            },
            "message": {
              "type": "string",
              "description": "1 to 4000 characters, not only whitespace."
            },
            "username": {
              "type": [
                "string",
                "null"
              ],
              "description": "For old clients; must equal the caller (case-insensitively), else `username does not match the authenticated user` and nothing is stored."
            },
            "client_msg_id": {
              "type": [
                "string",
                "null"
              ],
              "description": "As in POST /api/messages: a retry gets the stored message back (to the sender alone) as its acknowledgement."
            }
          }
        }
      },
      "typing": {
        "example": {
          "type": "typing",
          "typing": false
        },
        "schema": {
          "type": "object",
          "required": [
            "type"
          ],
          "additionalProperties": false,
          "properties": {
            "type": {
              "const": "typing"
            },
            "typing": {
              "type": [
                "boolean",
                "null"
              ],
              "description": "Default true."
            }
          }
        }
      }
    },
    "serverFrames": {
      "message": {
        "description": "To every socket in the room, the sender's own included (its acknowledgement). Fields in this order: type, id, room_id, room, seq, username, message, timestamp, client_msg_id (when the sender gave one).",
        "example": {
          "type": "message",
          "id": 7,
          "room_id": 1,
          "room": "general",
          "seq": 3,
          "username": "alice",
          "message": "hello",
          "timestamp": "2024-05-01T12:00:00.000Z"
        }
      },
      "typing": {
        "description": "To the other users' sockets in the room. Typing stops by itself 5 seconds (configurable) after the last typing frame, and when the user sends a message or disconnects.",
        "example": {
          "type": "typing",
          "room": "general",
          "username": "alice",
          "typing": true
        }
      },
      "presence": {
        "description": "A user came online in the room (first socket) or went offline (last socket closed).",
        "example": {
          "type": "presence",
          "room": "general",
          "username": "alice",
          "online": true
        }
      },
      "error": {
        "description": "For every rejected frame (not JSON, unknown type `Unknown frame type: <type>`, empty or too long message, `Binary frames are not supported`, rate limit `Too many messages; slow down`, …) and for a refused socket. The socket stays open unless a close follows.",
        "example": {
          "type": "error",
          "error": "Message is empty"
        }
      }
    },
    "closeCodes": {
      "1001": "Server shutting down (after the frames already queued).",
      "1008": "Too slow: a reader that falls more than the outbound queue limit (4096 frames by default) behind gets this close frame queued behind its backlog and is disconnected 2 s later (one that never reads sees only the TCP connection end).",
      "1011": "The server rebuilt its state after a storage failure; reconnect and fetch what you missed with `GET /api/rooms/{room_id}/messages?after=<last seq>`.",
      "1009": "A message larger than the limit (64 KiB by default). A single oversized frame is refused by the WebSocket layer with 1009 alone; a fragmented message that grows past the limit first gets the error frame `Message is larger than <n> bytes`.",
      "4400": "Bad request (e.g. a private chat with oneself).",
      "4401": "No valid token.",
      "4403": "Not a member, or an origin that is not allowed (`Origin not allowed`); also closes an open socket, after the error frame `You are not a member of this room`, when its user is removed from the room.",
      "4404": "Unknown user or room (or an archived room).",
      "4503": "Storage unavailable while opening the socket."
    }
  }
}
"""#
}
