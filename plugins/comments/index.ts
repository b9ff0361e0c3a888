// The comments and disputes plugin.
export * from "./Comment.ts"
export * from "./Comments.ts"
export * from "./CommentsMigrations.ts"
export * from "./CommentsPlugin.ts"
export * from "./CommentsRoutes.ts"
